"""Bad input is a 400 with a clear shape, never a 500 (API.md "General")."""

from __future__ import annotations

import pytest

from cinema.tests.clients import api_client
from theaters.tests.factories import ShowtimeFactory

pytestmark = pytest.mark.django_db

HUGE = 10**30


@pytest.fixture
def session():
    return ShowtimeFactory()


def test_malformed_json_is_400(customer):
    response = api_client(customer).post("/api/bookings", '{"session": 1,', content_type="application/json")

    assert response.status_code == 400
    assert "detail" in response.json()


@pytest.mark.parametrize(
    "body",
    [
        {"session": "one", "seats": [1]},
        {"session": HUGE, "seats": [1]},
        {"session": 1.5, "seats": [1]},
        {"session": True, "seats": [1]},
        {"session": None, "seats": [1]},
        {"seats": [1]},
        {"session": "SESSION", "seats": "A1"},
        {"session": "SESSION", "seats": [HUGE]},
        {"session": "SESSION", "seats": [-1]},
        {"session": "SESSION", "seats": ["x"]},
        {"session": "SESSION", "seats": [[1]]},
        {"session": "SESSION", "seats": [999999]},
        [1, 2],
        "text",
    ],
)
def test_a_booking_with_a_bad_body_is_400(customer, session, body):
    if isinstance(body, dict) and body.get("session") == "SESSION":
        body = {**body, "session": session.pk}

    response = api_client(customer).post("/api/bookings", body, format="json")

    assert response.status_code == 400


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "A\x00B"}, "title"),
        ({"description": "bad\x00byte"}, "description"),
        ({"title": "x" * 10_000}, "title"),
        ({"runtime_minutes": HUGE}, "runtime_minutes"),
        ({"runtime_minutes": "long"}, "runtime_minutes"),
    ],
)
def test_a_movie_with_a_bad_field_is_400(staff, body, field):
    valid = {"title": "T", "runtime_minutes": 90}

    response = api_client(staff).post("/api/movies", {**valid, **body}, format="json")

    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    "body",
    [
        {"movie": HUGE},
        {"room": "x"},
        {"starts_at": "not a date"},
        {"starts_at": "2026-02-30T10:00:00Z"},
        {"price": "NaN"},
        {"price": "-1"},
        {"price": "1000000"},
        {"status": "postponed"},
    ],
)
def test_a_session_change_with_a_bad_field_is_400(staff, session, body):
    response = api_client(staff).patch(f"/api/sessions/{session.pk}", body, format="json")

    assert response.status_code == 400
    assert next(iter(body)) in response.json()


@pytest.mark.parametrize(
    "body",
    [
        {"email": "a\x00@example.com", "password": "correct-horse-battery", "name": "A"},
        {"email": "a@example.com", "password": "x" * 129, "name": "A"},
        {"email": "a@example.com", "password": "correct-horse-battery", "name": "n" * 151},
        {"email": ["a@example.com"], "password": "correct-horse-battery", "name": "A"},
    ],
)
def test_a_registration_with_a_bad_field_is_400(body):
    assert api_client().post("/api/auth/register", body, format="json").status_code == 400


def test_a_huge_id_in_a_path_is_404(customer):
    assert api_client(customer).get(f"/api/bookings/{HUGE}").status_code == 404
    assert api_client().get(f"/api/sessions/{HUGE}").status_code == 404


def test_a_login_with_a_nul_byte_is_400():
    response = api_client().post("/api/auth/login", {"email": "a\x00@x.com", "password": "p"}, format="json")

    assert response.status_code == 400


@pytest.mark.parametrize("number", ["1e400", "-1e400", "NaN", "Infinity"])
def test_numbers_json_cannot_hold_are_400(staff, session, number):
    body = '{"price": ' + number + "}"

    response = api_client(staff).patch(f"/api/sessions/{session.pk}", body, content_type="application/json")

    assert response.status_code == 400
