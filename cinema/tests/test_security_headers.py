"""Every response carries the security headers, including the ones Django makes
outside the header middlewares: a bad `Host` is refused in CommonMiddleware (or in
SecurityMiddleware's HTTPS redirect), and that 400 used to leave without CSP or
X-Frame-Options. The requests go through the project's full middleware stack."""

from __future__ import annotations

import pytest
from django.middleware.common import CommonMiddleware
from django.test import Client

pytestmark = pytest.mark.django_db

SECURITY_HEADERS = [
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "X-Frame-Options",
    "Cross-Origin-Opener-Policy",
]
BAD_HOST = "evil.example"


def security_headers(response) -> dict[str, str | None]:
    return {name: response.get(name) for name in SECURITY_HEADERS}


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["cinema.example"]


@pytest.mark.parametrize("path", ["/", "/movies/", "/api/movies", "/healthz"])
def test_a_bad_host_gets_a_400_with_the_same_security_headers_as_a_good_one(production, path):
    good = Client(HTTP_HOST="cinema.example").get(path)
    bad = Client(HTTP_HOST=BAD_HOST).get(path)

    assert bad.status_code == 400
    assert None not in security_headers(good).values()
    assert security_headers(bad) == security_headers(good)
    assert "frame-ancestors 'none'" in bad["Content-Security-Policy"]


def test_the_bad_host_400_is_still_the_friendly_page_and_json_under_the_api(production):
    page = Client(HTTP_HOST=BAD_HOST).get("/")
    api = Client(HTTP_HOST=BAD_HOST).get("/api/movies")

    assert "<html" in page.content.decode() and page["X-Frame-Options"] == "DENY"
    assert api.json() == {"detail": "Bad request: the request was malformed or too large."}
    assert api["X-Content-Type-Options"] == "nosniff"


def test_with_https_on_a_bad_host_over_http_gets_the_headers_too(production, settings):
    # SecurityMiddleware's redirect reads the host first: its own headers were lost as well.
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000

    over_http = Client(HTTP_HOST=BAD_HOST).get("/movies/")
    over_https = Client(HTTP_HOST=BAD_HOST).get("/movies/", secure=True)

    assert over_http.status_code == over_https.status_code == 400
    assert None not in security_headers(over_http).values()
    assert "Strict-Transport-Security" not in over_http  # never over plain HTTP
    assert over_https["Strict-Transport-Security"].startswith("max-age=31536000")


def test_a_crash_outside_the_header_middlewares_gets_the_headers_too(production, monkeypatch):
    def broken(self, request):
        raise RuntimeError("a bug above the header middlewares")

    monkeypatch.setattr(CommonMiddleware, "process_request", broken)

    response = Client(HTTP_HOST="cinema.example", raise_request_exception=False).get("/movies/")

    assert response.status_code == 500
    assert None not in security_headers(response).values()
