"""Settings for the cinema booking system.

One module, configured only by the environment (django-environ; a `.env`
file beside manage.py is read when present). DESIGN.md "Configuration" lists
the variables.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it in the environment or in .env "
            "(or set DJANGO_DEBUG=on for a local try-out)."
        )
    SECRET_KEY = "insecure-local-debug-key-do-not-use-in-production-0123456789"

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "bootstrap",
    "crispy_forms",
    "crispy_bootstrap5",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "accounts",
    "movies",
    "pricing",
    "theaters",
    "bookings",
    "cinema",
]

MIDDLEWARE = [
    "cinema.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The page's language: the django_language cookie (the footer's switcher), else Accept-Language.
    "cinema.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cinema.middleware.CSPMiddleware",
    # After the header middleware, so that its 400 carries the security headers too.
    "cinema.middleware.nul_byte_guard",
    # After authentication (it reads the user) and the header middleware (its 403 carries them).
    "cinema.middleware.staff_only_admin",
    "axes.middleware.AxesMiddleware",
    "cinema.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "cinema.urls"

# Every request body here is small (a booking, a form, a movie's description):
# a bigger one is a 400 before it is read into memory. The most fields a real
# form posts is the admin's changelist action (one per row on a page) or the
# user permissions list, well under the limit.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "cinema.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A new PostgreSQL connection per request costs more than most requests:
    # one is kept, and checked before each request without a round trip.
    DATABASES["default"]["ENGINE"] = "cinema.db.postgresql"
    DATABASES["default"]["CONN_MAX_AGE"] = 60
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # JIT compilation costs up to a second on the large report queries (their
    # estimated cost crosses jit_above_cost) and never pays back on short queries.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    # Parameters bound by the server, and a statement sent five times prepared on
    # its connection: the hot paths' queries are planned once per connection, not per
    # request (behind a transaction-mode pooler, set prepare_threshold to None).
    DATABASES["default"]["OPTIONS"].setdefault("server_side_binding", True)
    DATABASES["default"]["OPTIONS"].setdefault("prepare_threshold", 5)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The try-out serves several gunicorn workers: take the write lock up
    # front and let readers go on while one writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

CACHES = {"default": env.cache("CACHE_URL", default="dbcache://cinema_cache")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Production's shared cache, failing soft when Redis is out (cinema/cache.py).
    CACHES["default"]["BACKEND"] = "cinema.cache.FailSoftRedisCache"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading each request's user through a compiled statement.
    "accounts.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "bookings:whats-on"
LOGOUT_REDIRECT_URL = "bookings:whats-on"

LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en-us")
# The theater's money (an ISO 4217 code): every price on the pages and in e-mails is in it.
CURRENCY = env.str("CURRENCY", default="EUR")
if not (len(CURRENCY) == 3 and CURRENCY.isalpha() and CURRENCY.isupper()):
    raise ImproperlyConfigured(f"CURRENCY is an ISO 4217 code such as “EUR”, not “{CURRENCY}”.")
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
# The languages the site is translated into (locale/); URLs carry no language prefix.
LANGUAGES = [("en", "English"), ("pt-pt", "Português")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads (posters, stills) go through the storage API: the local MEDIA_ROOT,
# served by the app, or, with several app servers that share no disk, an
# S3-compatible bucket (django-storages) named by MEDIA_S3_BUCKET.
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_S3_BUCKET = env.str("MEDIA_S3_BUCKET", default="")
if MEDIA_S3_BUCKET:
    MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            # Any S3-compatible service (MinIO, Ceph, R2...); AWS when unset. The
            # keys come from the usual AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
            "endpoint_url": env.str("MEDIA_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("MEDIA_S3_REGION", default="") or None,
            # Pictures are public: plain addresses (a CDN's, if set) rather than signed ones.
            "custom_domain": env.str("MEDIA_S3_CUSTOM_DOMAIN", default="") or None,
            "querystring_auth": False,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
    # Where the pictures' addresses point, for the Content-Security-Policy's img-src.
    _media_origin = urlsplit(
        f"https://{MEDIA_STORAGE['OPTIONS']['custom_domain']}"
        if MEDIA_STORAGE["OPTIONS"]["custom_domain"]
        else MEDIA_STORAGE["OPTIONS"]["endpoint_url"] or "https://*.amazonaws.com"
    )
    MEDIA_IMG_SOURCES = [f"{_media_origin.scheme}://{_media_origin.netloc}"]
else:
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    MEDIA_IMG_SOURCES = []
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Source maps are for developers' tools; compressing them (brotli, when
# installed) would make collectstatic take minutes for nothing.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [
    *("jpg", "jpeg", "png", "gif", "webp", "zip", "gz", "tgz", "bz2", "tbz", "xz", "br"),
    *("woff", "woff2", "mp4", "webm", "map"),
]

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Cinema <no-reply@cinema.local>")
# Mails link back to the site (the booking page) with absolute addresses.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# The task queue (Django's tasks API, django-tasks): mail goes out from the
# `manage.py db_worker` process. Another backend is a setting away.
TASKS = {"default": {"BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}
# A mail that fails is tried again after 1, 2, 4, ... minutes, MAIL_MAX_ATTEMPTS times in all.
MAIL_MAX_ATTEMPTS = env.int("MAIL_MAX_ATTEMPTS", default=5)
MAIL_RETRY_SECONDS = env.float("MAIL_RETRY_SECONDS", default=60)

# Booking rules (DESIGN.md "Booking rules").
MAX_SEATS_PER_BOOKING = env.int("MAX_SEATS_PER_BOOKING", default=10)
MAX_SEATS_PER_CUSTOMER = env.int("MAX_SEATS_PER_CUSTOMER", default=10)
BOOKING_CHANGE_CUTOFF_MINUTES = env.int("BOOKING_CHANGE_CUTOFF_MINUTES", default=30)
CLEANING_MINUTES = env.int("CLEANING_MINUTES", default=15)

# The box office (DESIGN.md "Seat holds", "Sales cut-off").
HOLD_MINUTES = env.float("HOLD_MINUTES", default=10)
HOLD_RENEWALS = env.int("HOLD_RENEWALS", default=2)
# A freed seat offered to the waiting list is held this long for the one offered it.
WAITLIST_OFFER_MINUTES = env.float("WAITLIST_OFFER_MINUTES", default=30)
SALES_CLOSE_MINUTES = env.int("SALES_CLOSE_MINUTES", default=0)
# Check-in at the door (DESIGN.md "Check-in at the door"): from this long before the start until the end.
CHECKIN_OPENS_MINUTES = env.int("CHECKIN_OPENS_MINUTES", default=60)

# Room layouts (DESIGN.md "Room layouts and accessible seats", "Best seats and orphans").
# Until this long before the start a companion seat is sold only with a wheelchair space.
ACCESSIBLE_RELEASE_MINUTES = env.int("ACCESSIBLE_RELEASE_MINUTES", default=60)
# "on": a customer's choice that strands a single seat is refused when another would not.
ORPHAN_SEAT_RULE = env.str("ORPHAN_SEAT_RULE", default="off")
if ORPHAN_SEAT_RULE not in ("on", "off"):
    raise ImproperlyConfigured(f"ORPHAN_SEAT_RULE is “on” or “off”, not “{ORPHAN_SEAT_RULE}”.")

# Abuse limits (API.md "Auth"), counted in the shared cache (accounts/throttles.py).
# Sign-ups per client address, the page's and the API's together.
REGISTER_RATE = env.str("REGISTER_RATE", default="20/hour")
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
# Password-reset e-mails per client address and per account email; over either
# the page answers as always but sends nothing.
PASSWORD_RESET_ADDRESS_RATE = env.str("PASSWORD_RESET_ADDRESS_RATE", default="10/hour")
PASSWORD_RESET_EMAIL_RATE = env.str("PASSWORD_RESET_EMAIL_RATE", default="3/hour")
# Proxy hops in front of the app whose X-Forwarded-For entries are trusted; 0:
# the socket's address is the client's, and X-Forwarded-For is ignored
# (cinema/client_address.py: the throttles and the lockout use it).
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)

AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.lockout.lockout_username"
AXES_CLIENT_IP_CALLABLE = "cinema.client_address.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# API.md locks logins per email, not per address: shared addresses (a
# theater's kiosk, a mobile carrier's NAT) must not lock out everyone behind them.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api.authentication.CurrentJWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "cinema.pagination.PageNumberPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["cinema.parsers.JSONParser"],
    # For any throttle of DRF's own; ours take cinema.client_address's answer.
    "NUM_PROXIES": TRUSTED_PROXIES,
    "EXCEPTION_HANDLER": "cinema.api.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
if DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"].append("rest_framework.renderers.BrowsableAPIRenderer")

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=15),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=7),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": False,
    "SIGNING_KEY": SECRET_KEY,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Cinema booking API",
    "DESCRIPTION": (
        "A cinema's box office: movies, rooms, sessions (showtimes), bookings and staff reports. "
        "Log in with `POST /api/auth/login` and send `Authorization: Bearer <access>`. Errors are JSON: "
        '400 with field errors (`{"seats": ["..."]}`) or `{"detail", "code"}`, 401 without a valid token, '
        "403 for staff-only operations, 404 for anything missing or not yours, 409 "
        '`{"detail", "code", ...}` when the request clashes with the current state (e.g. '
        '`"code": "seats_unavailable"` with the taken `"seats"`), 429 with `Retry-After`. '
        "The project's docs/api.md is the full contract."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "cinema.api_docs.document_bad_request_everywhere",
    ],
    "ENUM_NAME_OVERRIDES": {
        "SessionStatusEnum": "theaters.models.ShowtimeStatus",
        "BookingStatusEnum": "bookings.models.BookingStatus",
    },
}

# HTTPS-only protections: on by default when debug is off; DJANGO_HTTPS=off
# serves plain HTTP on a private network or locally.
HTTPS = env.bool("DJANGO_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# Django's database sessions, each request's read through a compiled statement.
SESSION_ENGINE = "cinema.sessions"
# Django's cookie-then-session storage, its cookie signer made only when used.
MESSAGE_STORAGE = "cinema.messages.FallbackStorage"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "cinema.views.csrf_failure"

# Only the site's own scripts and styles; no inline code anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *MEDIA_IMG_SOURCES],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "cinema.logging.JSONFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # RequestLogMiddleware logs every request, errors included.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
    },
}
