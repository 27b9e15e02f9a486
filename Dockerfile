# The plain mirror of `make run`, for production: configuration only by environment
# (DJANGO_SECRET_KEY, DATABASE_URL, DJANGO_ALLOWED_HOSTS, ... see README.md).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1

WORKDIR /app
# gettext: msgfmt, which compilemessages runs on the translations (locale/).
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# collectstatic and compilemessages need a key to import the settings; the real one comes at run time.
RUN DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
    && DJANGO_SECRET_KEY=collectstatic-only python manage.py compilemessages \
    && useradd --create-home --uid 1000 cinema \
    && chown -R cinema /app
USER cinema

EXPOSE 8000
# Deploy: run `python manage.py migrate` once per release (a one-off container), then serve,
# and run the task worker (it sends the mail) as its own process from the same image:
#   docker run IMAGE python manage.py db_worker --no-reload
CMD ["gunicorn", "cinema.wsgi", "--config", "gunicorn.conf.py", "--bind", "0.0.0.0:8000"]
