#!/usr/bin/env bash
# `make run`'s two processes side by side: the task worker (it sends the mail)
# and gunicorn. Ctrl+C, or either one ending, stops both.
set -u
VENV="${VENV:-.venv}"

"$VENV/bin/python" manage.py db_worker --no-reload --verbosity 0 &
worker=$!
"$VENV/bin/gunicorn" cinema.wsgi --config gunicorn.conf.py --bind "$1" --log-level warning &
web=$!

stop() {
    trap - INT TERM EXIT
    kill -TERM "$worker" "$web" 2>/dev/null
    wait "$worker" "$web" 2>/dev/null
}
trap 'stop; exit 130' INT TERM
trap stop EXIT
wait -n "$worker" "$web"
