"""Bad input on the API beyond test_api_errors.py: query strings, bodies the
parser must refuse, pagination, unicode. A 400 (or 404/415) with a JSON body,
never a 500, and nothing written. The closing note lists each case."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from bookings.models import Booking, Ticket
from bookings.tests.factories import make_booking
from cinema.tests.clients import api_client
from movies.models import Movie
from theaters.models import Room, Showtime
from theaters.tests.factories import ShowtimeFactory

pytestmark = pytest.mark.django_db

HUGE = "9" * 30
JSON = "application/json"

# name: (persona, method, path, raw body or None, content type, expected status)
CASES: dict[str, tuple[str, str, str, bytes | str | None, str, int]] = {
    "a NUL in a query string": ("anonymous", "GET", "/api/sessions?date=%00", None, JSON, 400),
    "a NUL in a filter of bookings": ("staff", "GET", "/api/bookings?status=a%00", None, JSON, 400),
    "JSON nested 100,000 deep (array)": ("customer", "POST", "/api/bookings", "[" * 100_000, JSON, 400),
    "JSON nested 50,000 deep (object)": ("customer", "POST", "/api/bookings", '{"a":' * 50_000, JSON, 400),
    "JSON nested deep at log-in": ("anonymous", "POST", "/api/auth/login", "[" * 100_000, JSON, 400),
    "a 2 MB body": ("customer", "POST", "/api/bookings", '{"seats": [' + "1," * 1_000_000 + "1]}", JSON, 400),
    "an empty body": ("customer", "POST", "/api/bookings", "", JSON, 400),
    "a form-encoded body": (
        "customer",
        "POST",
        "/api/bookings",
        "session=1&seats=1",
        "application/x-www-form-urlencoded",
        415,
    ),
    "invalid UTF-8 in the body": ("customer", "POST", "/api/bookings", b'{"session": "\xff\xfe"}', JSON, 400),
    "a UTF-16 body": ("customer", "POST", "/api/bookings", '{"session": 1}'.encode("utf-16"), JSON, 400),
    "a lone surrogate escape in a title": (
        "staff",
        "POST",
        "/api/movies",
        '{"title": "\\ud800", "runtime_minutes": 90}',
        JSON,
        400,
    ),
    "a NUL escape in a title": (
        "staff",
        "POST",
        "/api/movies",
        '{"title": "a\\u0000b", "runtime_minutes": 90}',
        JSON,
        400,
    ),
    "a 5000-char room name": (
        "staff",
        "POST",
        "/api/rooms",
        '{"name": "' + "R" * 5000 + '", "rows": 2, "seats_per_row": 2}',
        JSON,
        400,
    ),
    "10**30 rows": (
        "staff",
        "POST",
        "/api/rooms",
        '{"name": "R", "rows": ' + HUGE + ', "seats_per_row": 2}',
        JSON,
        400,
    ),
    "an offset of +99:00": (
        "staff",
        "PATCH",
        "/api/sessions/{session}",
        '{"starts_at": "2030-01-01T10:00+99:00"}',
        JSON,
        400,
    ),
    "a price of 1e5": ("staff", "PATCH", "/api/sessions/{session}", '{"price": "1e5"}', JSON, 400),
    "a price with 3 decimals": ("staff", "PATCH", "/api/sessions/{session}", '{"price": "7.123"}', JSON, 400),
    "page 10**30": ("anonymous", "GET", f"/api/sessions?page={HUGE}", None, JSON, 404),
    "page -1": ("anonymous", "GET", "/api/sessions?page=-1", None, JSON, 404),
    "page abc": ("anonymous", "GET", "/api/sessions?page=abc", None, JSON, 404),
    "?movie=abc": ("anonymous", "GET", "/api/sessions?movie=abc", None, JSON, 400),
    "?movie=10**30": ("anonymous", "GET", f"/api/sessions?movie={HUGE}", None, JSON, 400),
    "?room=-1": ("anonymous", "GET", "/api/sessions?room=-1", None, JSON, 400),
    "?date=2026-02-30": ("anonymous", "GET", "/api/sessions?date=2026-02-30", None, JSON, 400),
    "?date=0000-01-01": ("anonymous", "GET", "/api/sessions?date=0000-01-01", None, JSON, 400),
    "?date=9999-12-31": ("anonymous", "GET", "/api/sessions?date=9999-12-31", None, JSON, 400),
    "?from=25 o'clock": ("anonymous", "GET", "/api/sessions?from=2026-01-01T25:00", None, JSON, 400),
    "?to=emoji": ("anonymous", "GET", "/api/sessions?to=%F0%9F%8E%AC", None, JSON, 400),
    "?date twice, second bad": ("anonymous", "GET", "/api/sessions?date=2026-01-01&date=x", None, JSON, 400),
    "?search= 5000 chars": ("anonymous", "GET", "/api/movies?search=" + "x" * 5000, None, JSON, 400),
    "?status=postponed": ("staff", "GET", "/api/bookings?status=postponed", None, JSON, 400),
    "?user=10**30": ("staff", "GET", f"/api/bookings?user={HUGE}", None, JSON, 400),
    "report ?group_by=x": ("staff", "GET", "/api/reports/bookings?group_by=x", None, JSON, 400),
    "report ?from=2026-13-01": (
        "staff",
        "GET",
        "/api/reports/bookings?group_by=movie&from=2026-13-01",
        None,
        JSON,
        400,
    ),
    "an RTL-override email": (
        "anonymous",
        "POST",
        "/api/auth/register",
        '{"email": "a\\u202eb@example.com", "name": "x", "password": "a-fresh-tangerine-42"}',
        JSON,
        400,
    ),
    "seats as a string on change": (
        "customer",
        "PUT",
        "/api/bookings/{booking}",
        '{"seats": "1"}',
        JSON,
        400,
    ),
    "599 seats on change": (
        "customer",
        "PATCH",
        "/api/bookings/{booking}",
        '{"seats": [' + ",".join(map(str, range(1, 600))) + "]}",
        JSON,
        400,
    ),
    "a bearer token with NUL and 0xFF": ("bad-token", "GET", "/api/auth/me", None, JSON, 401),
}


def state() -> tuple:
    return (
        list(Booking.objects.order_by("pk").values_list("pk", "status", "total_price")),
        list(Ticket.objects.order_by("pk").values_list("pk", "seat_id", "active")),
        list(Showtime.objects.order_by("pk").values_list("pk", "starts_at", "price", "status")),
        User.objects.count(),
        Movie.objects.count(),
        Room.objects.count(),
    )


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_is_a_json_4xx_and_writes_nothing(customer, staff, name):
    persona, method, path, body, content_type, expected = CASES[name]
    session = ShowtimeFactory()
    booking = make_booking(user=customer, showtime=session, labels=["A1"])
    if persona == "bad-token":
        client = APIClient(HTTP_AUTHORIZATION="Bearer \x00\xff")
    else:
        client = api_client({"anonymous": None, "customer": customer, "staff": staff}[persona])
    client.raise_request_exception = False
    before = state()

    response = client.generic(
        method, path.format(session=session.pk, booking=booking.pk), body or "", content_type
    )

    assert response.status_code == expected
    assert response["Content-Type"] == "application/json"
    assert state() == before


def test_duplicate_json_keys_take_the_last_value_like_any_json_parser(customer):
    session = ShowtimeFactory()
    seat = session.room.seats.last()
    body = f'{{"session": 999999, "session": {session.pk}, "seats": [{seat.pk}]}}'

    response = api_client(customer).post("/api/bookings", body, content_type=JSON)

    assert response.status_code == 201 and response.json()["session"] == session.pk


def test_a_unicode_name_registers_and_comes_back_intact():
    name = "Zoë 🎬 مريم Ame\u0301lie"

    response = APIClient().post(
        "/api/auth/register",
        {"email": "zoe@example.com", "name": name, "password": "a-fresh-tangerine-42"},
        format="json",
    )

    assert response.status_code == 201 and response.json()["name"] == name


def test_a_server_error_under_the_api_is_json(rf):
    from cinema import views

    response = views.server_error(rf.get("/api/sessions"))

    assert response.status_code == 500 and response["Content-Type"] == "application/json"
