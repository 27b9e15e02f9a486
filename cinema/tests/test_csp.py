"""The Content-Security-Policy allows only the site's own scripts and styles:
no inline <script>, <style>, style="" or on…="" handlers in our templates or
in the pages they render; the admin and the API docs still work under it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from bookings.tests.factories import make_booking
from theaters.tests.factories import ShowtimeFactory

TEMPLATES = Path(settings.BASE_DIR) / "templates"

INLINE = {
    "an inline <script>": re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "a <style> block": re.compile(r"<style\b", re.IGNORECASE),
    'a style="" attribute': re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE),
    'an on…="" handler': re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE),
    "a javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def inline_code(html: str) -> list[str]:
    # JSON data islands are data, not code: the CSP lets them through.
    html = re.sub(r'<script\b[^>]*type="application/json"[^>]*>.*?</script>', "", html, flags=re.DOTALL)
    return [what for what, pattern in INLINE.items() if pattern.search(html)]


def test_the_inline_patterns_catch_inline_code():
    samples = [
        "<script>x()</script>",
        "<style>p{}</style>",
        '<p style="color:red">',
        '<a onclick="x()">',
        '<a href="javascript:x()">',
    ]

    assert [inline_code(sample) for sample in samples] == [[what] for what in INLINE]
    assert inline_code('<script src="/static/js/seat-map.js" defer></script><p class="x">') == []


@pytest.mark.parametrize(
    "path", sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html"))
)
def test_no_template_holds_inline_code(path):
    assert inline_code((TEMPLATES / path).read_text()) == []


@pytest.fixture
def pages(customer, staff) -> dict[str, tuple[object, str]]:
    showtime = ShowtimeFactory()
    booking = make_booking(user=customer, showtime=showtime, labels=["A1"])
    return {
        "what's on": (None, "/"),
        "catalog": (None, "/movies/"),
        "movie": (None, reverse("bookings:movie-detail", args=[showtime.movie_id])),
        "seat map": (customer, reverse("bookings:seat-map", args=[showtime.pk])),
        "my bookings": (customer, "/bookings/"),
        "booking": (customer, booking.get_absolute_url()),
        "change seats": (customer, f"/bookings/{booking.code}/change/"),
        "cancel": (customer, f"/bookings/{booking.code}/cancel/"),
        "sign up": (None, "/accounts/signup/"),
        "log in": (None, "/accounts/login/"),
        "password reset": (None, "/accounts/password/reset/"),
        "password change": (customer, "/accounts/password/change/"),
        "not found": (None, "/no-such-page/"),
        "bad request": (None, "/?day=%00"),
        "admin index": (staff, "/admin/"),
        "admin booking list": (staff, "/admin/bookings/booking/"),
        "admin showtime form": (staff, f"/admin/theaters/showtime/{showtime.pk}/change/"),
        "insights": (staff, "/admin/insights/"),
        "API docs": (None, "/api/docs/"),
    }


@pytest.mark.django_db
def test_the_rendered_pages_hold_no_inline_code_and_carry_the_policy(pages):
    found = {}
    for name, (user, path) in pages.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        response = client.get(path)
        assert response.status_code in (200, 400, 404), name
        assert "script-src 'self'" in response["Content-Security-Policy"], name
        if problems := inline_code(response.content.decode()):
            found[name] = problems

    assert found == {}


@pytest.mark.django_db
def test_the_api_docs_page_loads_its_css_from_the_site(client):
    html = client.get("/api/docs/").content.decode()

    assert "/static/css/swagger-ui-page.css" in html
    assert "<style" not in html


def test_the_error_pages_rendered_without_a_request_hold_no_inline_code():
    from django.template.loader import render_to_string

    for name in ("400.html", "500.html", "503.html"):
        assert inline_code(render_to_string(name)) == [], name
