from __future__ import annotations

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseBase,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.static import serve

from cinema.cache import FailSoftRedisCache
from cinema.middleware import StaffOnly, with_security_headers


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 when it does not; "degraded" (still 200:
    bookings go on) when only the shared cache is out."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    cache = caches["default"]
    if isinstance(cache, FailSoftRedisCache) and not cache.answers():
        return JsonResponse({"status": "degraded", "database": "up", "cache": "down"})
    return JsonResponse({"status": "ok"})


@require_safe
def ping(request: HttpRequest) -> HttpResponse:
    """A tiny answer with no database work: a liveness probe and the benchmark's floor."""
    return HttpResponse("ok", content_type="text/plain")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A request Django refused before any view: too big, too many fields, a NUL byte, a bad host."""
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"detail": _("Bad request: the request was malformed or too large.")}, status=400
        )
    else:
        # No request context: the request itself is what is wrong (its host, its body).
        response = HttpResponseBadRequest(loader.render_to_string("400.html"))
    # A bad host is refused above the header middlewares.
    return with_security_headers(request, response)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    template = "403_staff_only.html" if isinstance(exception, StaffOnly) else "403.html"
    return render(request, template, status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        # API clients get JSON for any unknown path, like every other API error.
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": _("A server error occurred.")}, status=500)
    else:
        # No request context: whatever broke (the database, a context processor) must not break this too.
        response = HttpResponseServerError(loader.render_to_string("500.html"))
    # It may have broken in a middleware above the header middlewares.
    return with_security_headers(request, response)


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages without an icon link (the admin's)."""
    return redirect(static("favicon.svg"), permanent=True)


@require_safe
def media(request: HttpRequest, path: str) -> HttpResponseBase:
    """An uploaded picture from the local MEDIA_ROOT (S3 storage serves its own).

    Every stored name is new (uploads get a random prefix, renditions are named
    after them), so browsers may keep what they fetched for good.
    """
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
