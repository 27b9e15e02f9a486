# Two commands: `make run` (try it) and `make test` (check it). See README.md.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
RUNTIME := $(VENV)/.installed-runtime
DEV := $(VENV)/.installed-dev
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format bench clean

# pip -qq: its warnings are not for people here (one "Location ... is ignored"
# for each package that a configured local index lacks); errors still show,
# and fail the target.
PIP := $(VENV)/bin/pip --quiet --quiet

$(PY):
	@echo "Making $(VENV) (once)."
	@python3 -m venv $(VENV)
	@$(PIP) install --upgrade pip

$(RUNTIME): requirements.txt | $(PY)
	@echo "Installing requirements.txt into $(VENV)."
	@$(PIP) install -r requirements.txt
	@touch $@

$(DEV): requirements.txt requirements-dev.txt | $(PY)
	@echo "Installing requirements-dev.txt into $(VENV)."
	@$(PIP) install -r requirements-dev.txt
	@touch $@ $(RUNTIME)

.env:
	@$(PY) scripts/make_env.py > .env
	@echo "Wrote .env for a local try-out (a fresh secret key, plain HTTP)."

# Collected (and compressed) again only when the static sources change.
# (Collecting needs no secret; `make test` runs it before any .env exists.)
staticfiles/staticfiles.json: $(RUNTIME) $(shell find static templates -type f 2>/dev/null)
	@DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-collectstatic-only}" $(PY) manage.py collectstatic --noinput --verbosity 0

# The compiled translations (locale/*/LC_MESSAGES/*.mo, not committed), made again
# only when their catalog (.po) changes. msgfmt is Debian's gettext.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))
$(MO_FILES): %.mo: %.po | $(RUNTIME)
	@DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-compilemessages-only}" $(PY) manage.py compilemessages --ignore=.venv --verbosity 0

# Ends with the demo logins and the address; gunicorn then says only what goes wrong,
# beside the task worker (scripts/run.sh), which prints the mail it sends to the console.
run: $(RUNTIME) .env staticfiles/staticfiles.json $(MO_FILES)
	@$(PY) manage.py migrate --noinput --verbosity 0 && echo "Database up to date."
	@$(PY) manage.py seed_demo
	@echo "Serving on http://$(HOST):$(PORT)/ (staff: http://$(HOST):$(PORT)/admin/, the door: /checkin/)."
	@echo "The task worker sends the mail (to this console unless EMAIL_URL says otherwise). Ctrl+C stops both."
	@VENV=$(VENV) scripts/run.sh $(HOST):$(PORT)

# Tests use DATABASE_URL when set, else PostgreSQL on 127.0.0.1:5432, else SQLite.
test: lint staticfiles/staticfiles.json $(MO_FILES)
	@export DATABASE_URL="$$($(PY) scripts/test_database.py)" \
		DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-test-secret-key-that-is-long-enough-for-jwt-signing}" \
		DJANGO_HTTPS="$${DJANGO_HTTPS:-off}" DJANGO_ALLOW_ASYNC_UNSAFE=true; \
	$(PY) manage.py makemigrations --check --dry-run && \
	$(PY) -m pytest $(PYTEST_ARGS)

# The benchmark (DESIGN.md "Performance budgets"): a fresh PostgreSQL database,
# gunicorn, wrk; about 15 minutes. Options: make bench BENCH_ARGS="--duration 5 --scale 10k"
# (python -m bench --help lists them). Figures go to bench/results.json.
bench: $(RUNTIME)
	$(PY) -m bench $(BENCH_ARGS)

# ruff; the layering of DESIGN.md "Layout" (import-linter); the type hints of services, selectors and views.
lint: $(DEV)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	DJANGO_SECRET_KEY=lint-only $(VENV)/bin/mypy

format: $(DEV)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache $(MO_FILES)
