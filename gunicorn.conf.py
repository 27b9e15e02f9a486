"""gunicorn settings for `make run`, the Dockerfile and the benchmark."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = 30
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak can never take a server down.
max_requests = 50000
max_requests_jitter = 5000
# The app logs every request itself (cinema.middleware.RequestLogMiddleware).
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
control_socket_disable = True
