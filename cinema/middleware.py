from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from functools import cache

from csp import middleware as csp_middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.signals import setting_changed
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware import locale
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.security import SecurityMiddleware
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

logger = logging.getLogger("cinema.requests")

# Password-reset links carry a secret token in the path.
SECRET_PATH = re.compile(r"(/reset/[^/]+/)[^/]+")
RETRY_AFTER_SECONDS = 30


class RequestLogMiddleware:
    """One structured log line per request: method, path, status, duration, user id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        logger.info(
            "request",
            extra={
                "method": request.method,
                "path": SECRET_PATH.sub(r"\1…", request.path),
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": _known_user_id(request),
            },
        )
        return response


def _known_user_id(request: HttpRequest) -> int | None:
    """The user's id if the request already authenticated; never a query just for the log."""
    user = getattr(request, "user", None)
    if isinstance(user, SimpleLazyObject) and not hasattr(request, "_cached_user"):
        return None  # the session's user was never needed
    return getattr(user, "pk", None)


class LocaleMiddleware(locale.LocaleMiddleware):
    """Django's, without its work for language-prefixed URLs where the URLconf has none.

    With no i18n_patterns Django's middleware still reads a language from the path,
    twice, to ignore it: the language is the cookie's or Accept-Language's either way.
    ~10 µs of every request.
    """

    def process_request(self, request: HttpRequest) -> None:
        if _language_prefixed(request):
            return super().process_request(request)
        translation.activate(translation.get_language_from_request(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if _language_prefixed(request):
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


def _language_prefixed(request: HttpRequest) -> bool:
    i18n_patterns_used, _prefixed_default_language = is_language_prefix_patterns_used(
        getattr(request, "urlconf", settings.ROOT_URLCONF)
    )
    return i18n_patterns_used


# What a view may set to make its response's policy its own (django-csp's decorators).
PER_RESPONSE_POLICY = tuple(
    f"_csp_{kind}{ro}" for kind in ("config", "update", "replace") for ro in ("", "_ro")
)


class CSPMiddleware(csp_middleware.CSPMiddleware):
    """django-csp's middleware, with the policy built once rather than twice per response.

    The policy comes from settings alone unless a view decorates its response or
    asks for a nonce; only then is it built for that response, by django-csp.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        headers = _settings_policy_headers()
        if (
            headers is None
            or settings.DEBUG
            or getattr(request, "_csp_nonce", None) is not None
            or any(getattr(response, name, None) is not None for name in PER_RESPONSE_POLICY)
        ):
            return super().process_response(request, response)
        for header, value, exempt in headers:
            if value and header not in response and not getattr(response, exempt, False):
                response[header] = value
        # As django-csp does: a nonce asked for after the header is written is an error, not a silent gap.
        request.csp_nonce = csp_middleware.CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response


@cache
def _settings_policy_headers() -> tuple[tuple[str, str, str], ...] | None:
    """The two headers as settings make them, or None when URL prefixes are excluded
    (then django-csp decides per request)."""
    for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY"):
        if (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES"):
            return None
    return (
        (HEADER, build_policy(), "_csp_exempt"),
        (HEADER_REPORT_ONLY, build_policy(report_only=True), "_csp_exempt_ro"),
    )


@receiver(setting_changed)
def _rebuild_policy(*, setting: str, **kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _settings_policy_headers.cache_clear()


def _unused_view(request: HttpRequest) -> HttpResponse:
    raise AssertionError("only the header middlewares' process_response is called")


def with_security_headers(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """`response` with the headers of the header middlewares in settings.MIDDLEWARE
    (SecurityMiddleware, XFrameOptionsMiddleware, CSPMiddleware).

    For the error handlers: Django refuses a bad Host in CommonMiddleware (or in
    SecurityMiddleware's HTTPS redirect), and a response made there goes back out
    past the middlewares above it only. Each one adds only what is missing, so a
    response that does pass through them comes out the same.
    """
    for header_middleware in (SecurityMiddleware, XFrameOptionsMiddleware, CSPMiddleware):
        response = header_middleware(_unused_view).process_response(request, response)
    return response


def nul_byte_guard(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """A NUL byte in the path or query string is a 400 (handler400), before any view sees it.

    No URL of ours can hold one, and PostgreSQL refuses it in a text parameter
    with an error, so a lookup by it (a booking code, an admin filter) would be
    a 500. Form fields are left to the forms, which refuse NUL with a message.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            raise BadRequest("NUL byte in the URL")
        return get_response(request)

    return middleware


class StaffOnly(PermissionDenied):
    """A logged-in customer in the admin: handler403 shows the "for staff only" page."""


@cache
def _admin_prefix() -> str:
    return reverse("admin:index")


def staff_only_admin(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """A logged-in customer opening any admin page (insights included) gets a 403
    saying the admin is for staff, rather than the admin's login form, which reads
    as if logging in again would help. Anonymous visitors still get that form.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        # The path first: only admin requests pay for looking up the user.
        if request.path.startswith(_admin_prefix()):
            try:
                customer = request.user.is_authenticated and not request.user.is_staff
            except (OperationalError, InterfaceError) as error:
                # Raised here, not in a view: DatabaseUnavailableMiddleware would not see it.
                return database_unavailable(request, error)
            if customer:
                raise StaffOnly
        return get_response(request)

    return middleware


class DatabaseUnavailableMiddleware:
    """A database outage is a friendly 503 (JSON under /api/), not a 500.

    Django drops the broken connection at the end of the request and the next
    request connects afresh, so service resumes by itself once the database is back.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        return database_unavailable(request, exception)


def database_unavailable(request: HttpRequest, error: Exception) -> HttpResponse:
    """The 503 of a database outage: JSON under /api/, the friendly page elsewhere."""
    logger.error("database unavailable: %s", error)
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {
                "detail": _("The service is temporarily unavailable. Please try again shortly."),
                "code": "service_unavailable",
            },
            status=503,
        )
    else:
        # Rendered without the request: context processors would query the database.
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
