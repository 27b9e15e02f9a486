"""Bad input is a 400 with a clear shape, never a 500 (API.md "General")."""

from __future__ import annotations

import json

import pytest

from bookings.models import Booking, Ticket
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


# Each body gets the real ids of a session and of one of its seats, so that
# what is refused is the shape, not an id that happens not to exist (ids start
# at 1 on SQLite, where session 1 and seat 1 are the fixture's own). A string
# is sent as it is: JSON that Python's json module would not write.
BAD_BOOKING_BODIES = {
    "session as text": lambda session, seat: {"session": "one", "seats": [seat]},
    "session too big": lambda session, seat: {"session": HUGE, "seats": [seat]},
    "session a fraction": lambda session, seat: {"session": session + 0.5, "seats": [seat]},
    "session beyond a double": lambda session, seat: f'{{"session": 1e400, "seats": [{seat}]}}',
    "session true": lambda session, seat: {"session": True, "seats": [seat]},
    "session null": lambda session, seat: {"session": None, "seats": [seat]},
    "no session": lambda session, seat: {"seats": [seat]},
    "seats as text": lambda session, seat: {"session": session, "seats": "A1"},
    "seat too big": lambda session, seat: {"session": session, "seats": [HUGE]},
    "seat negative": lambda session, seat: {"session": session, "seats": [-1]},
    "seat a fraction": lambda session, seat: {"session": session, "seats": [seat + 0.5]},
    "seat as text": lambda session, seat: {"session": session, "seats": ["x"]},
    "seat in a list": lambda session, seat: {"session": session, "seats": [[seat]]},
    "seat unknown": lambda session, seat: {"session": session, "seats": [999999]},
    "a list": lambda session, seat: [session, seat],
    "a string": lambda session, seat: '"text"',
}


@pytest.mark.parametrize("body", BAD_BOOKING_BODIES.values(), ids=BAD_BOOKING_BODIES.keys())
def test_a_booking_with_a_bad_body_is_400(customer, session, body):
    body = body(session.pk, session.room.seats.get(row="A", number=1).pk)
    raw = body if isinstance(body, str) else json.dumps(body)

    response = api_client(customer).post("/api/bookings", raw, content_type="application/json")

    assert response.status_code == 400
    assert not Booking.objects.exists() and not Ticket.objects.exists()


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


@pytest.mark.parametrize("number", ["{id}.5", "1e400"])
@pytest.mark.parametrize("field", ["movie", "room"])
def test_a_session_change_to_an_id_that_is_no_whole_number_is_400(staff, session, field, number):
    current = getattr(session, f"{field}_id")
    raw = f'{{"{field}": {number.format(id=current)}}}'

    response = api_client(staff).patch(f"/api/sessions/{session.pk}", raw, content_type="application/json")

    assert response.status_code == 400
    assert field in response.json()
    session.refresh_from_db()
    assert getattr(session, f"{field}_id") == current


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
