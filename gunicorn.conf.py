"""gunicorn settings for `make run`, the Dockerfile and the benchmark."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Measured against gthread (README "What makes it fast"): no faster here, and a far worse p99.
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
# gunicorn's own refusals (414, 431, 400) carry none of the app's security
# headers. The request line gets gunicorn's largest bounded limit (0 would be
# unlimited: one request could hold a worker's memory), so every URL up to
# 8190 bytes reaches Django, which answers it with its headers; only longer
# lines get gunicorn's bare 414. The header limits are gunicorn's defaults,
# written out: Django has no header limit to hand them to.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
