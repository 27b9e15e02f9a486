"""Oversize request lines under the real gunicorn: up to gunicorn's largest bounded
limit (8190 bytes) Django answers, with its security headers; only longer lines get
gunicorn's own bare 414, which no app code can add headers to."""

from __future__ import annotations

import http.client
import os
from collections.abc import Iterator

import pytest

from bench.server import Server, gunicorn


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": "gunicorn-limits-test-secret-key-long-enough",
        "DJANGO_HTTPS": "off",
        "DJANGO_DEBUG": "off",
        "WEB_CONCURRENCY": "1",
    }
    with gunicorn(env) as served:
        yield served


def get(server: Server, path: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response
    finally:
        connection.close()


def path_of(request_line_bytes: int) -> str:
    # "GET " + path + " HTTP/1.1" is the request line gunicorn measures. An unknown
    # API path: Django's JSON 404 needs no collected static files.
    return "/api/no-such-page/" + "x" * (request_line_bytes - len("GET /api/no-such-page/ HTTP/1.1"))


def test_a_request_line_past_gunicorns_default_limit_is_answered_by_django(server):
    response = get(server, path_of(6000))

    assert response.status == 404
    assert response.getheader("Content-Type") == "application/json"
    assert "frame-ancestors 'none'" in response.getheader("Content-Security-Policy", "")
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("X-Frame-Options") == "DENY"


def test_a_request_line_at_the_limit_still_reaches_django(server):
    assert get(server, path_of(8190)).status == 404


def test_only_a_line_beyond_8190_bytes_gets_gunicorns_bare_414(server):
    response = get(server, path_of(8191))

    assert response.status == 414
    assert response.getheader("Content-Security-Policy") is None
