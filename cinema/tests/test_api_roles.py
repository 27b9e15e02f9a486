"""Who may call what: every endpoint and method under /api/, for each persona.

The rows are checked against the resolved URL patterns, so an endpoint (or a
method) added without a row here fails `test_every_endpoint_has_a_row`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.tests.factories import PASSWORD
from bookings.models import CheckIn, WaitlistEntry
from bookings.services import hold_create
from bookings.tests.factories import make_booking
from cinema.tests.clients import api_client
from movies.tests.factories import MovieFactory
from theaters.tests.factories import RoomFactory, ShowtimeFactory

ROLES = ["anonymous", "customer", "other_customer", "staff"]
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def anyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def users(status: int) -> dict[str, int]:
    return {"anonymous": 401, "customer": status, "other_customer": status, "staff": status}


def staff_only(status: int) -> dict[str, int]:
    return {"anonymous": 401, "customer": 403, "other_customer": 403, "staff": status}


def owner_or_staff(status: int) -> dict[str, int]:
    # The booking is the customer's: anyone else's is a 404, so it cannot be probed.
    return {"anonymous": 401, "customer": status, "other_customer": 404, "staff": status}


def owner_only(status: int) -> dict[str, int]:
    # The hold is the customer's: anyone else's, staff's included, is a 404.
    return {"anonymous": 401, "customer": status, "other_customer": 404, "staff": 404}


def movie_body(w, user) -> dict:
    return {"title": "New", "year": 2020, "rating": "", "runtime_minutes": 90, "description": ""}


def series_body(w, user) -> dict:
    first_day = timezone.localdate() + timedelta(days=30)
    return {
        "movie": w["movie"].pk,
        "room": w["room"].pk,
        "first_day": first_day.isoformat(),
        "count": 1,
        "weekdays": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
        "times": ["20:00"],
        "price": "7.00",
    }


def session_body(w, user) -> dict:
    starts_at = timezone.now() + timedelta(days=20)
    return {"movie": w["movie"].pk, "room": w["room"].pk, "starts_at": starts_at.isoformat(), "price": "7.00"}


def checkin_body(w, user) -> dict:
    # A booking of its own for each role, in a showtime whose door is open.
    showtime = ShowtimeFactory(starts_at=timezone.now() + timedelta(minutes=30))
    booking = make_booking(user=w["customer"], showtime=showtime, labels=["A1"])
    return {"code": booking.code, "session": showtime.pk}


def checked_in(w, user) -> None:
    """The world's booking admitted (for the undo), whoever asks."""
    booking = w["booking"]
    if not CheckIn.objects.filter(booking=booking, undone_at__isnull=True).exists():
        CheckIn.objects.create(booking=booking, at=timezone.now(), by=w["staff"])


def refresh_of(w, user) -> dict:
    return {"refresh": str(RefreshToken.for_user(user or w["customer"]))}


# (route, method): (expected status per role, body builder or None)
ROWS: dict[tuple[str, str], tuple[dict[str, int], Callable | None]] = {
    ("api/auth/register", "POST"): (
        anyone(201),
        lambda w, user: {"email": f"new-{id(user)}@example.com", "password": PASSWORD, "name": "N"},
    ),
    ("api/auth/login", "POST"): (
        anyone(200),
        lambda w, user: {"email": "carla@example.com", "password": PASSWORD},
    ),
    ("api/auth/refresh", "POST"): (anyone(200), refresh_of),
    ("api/auth/logout", "POST"): (users(204), refresh_of),
    ("api/auth/me", "GET"): (users(200), None),
    ("api/movies", "GET"): (anyone(200), None),
    ("api/movies", "POST"): (staff_only(201), movie_body),
    ("api/movies/<int:pk>", "GET"): (anyone(200), None),
    ("api/movies/<int:pk>", "PUT"): (staff_only(200), movie_body),
    ("api/movies/<int:pk>", "PATCH"): (staff_only(200), lambda w, user: {"rating": "PG"}),
    ("api/movies/<int:pk>", "DELETE"): (staff_only(204), None),
    ("api/rooms", "GET"): (staff_only(200), None),
    ("api/rooms", "POST"): (staff_only(201), lambda w, user: {"name": "New", "rows": 2, "seats_per_row": 3}),
    ("api/rooms/<int:pk>", "GET"): (staff_only(200), None),
    ("api/rooms/<int:pk>", "PATCH"): (staff_only(200), lambda w, user: {"name": "Renamed"}),
    ("api/rooms/<int:pk>", "DELETE"): (staff_only(204), None),
    ("api/ticket-types", "GET"): (anyone(200), None),
    ("api/sessions", "GET"): (anyone(200), None),
    ("api/sessions", "POST"): (staff_only(201), session_body),
    ("api/sessions/<int:pk>", "GET"): (anyone(200), None),
    ("api/sessions/<int:pk>", "PUT"): (staff_only(200), lambda w, user: {"status": "cancelled"}),
    ("api/sessions/<int:pk>", "PATCH"): (staff_only(200), lambda w, user: {"price": "9.00"}),
    ("api/sessions/<int:pk>", "DELETE"): (staff_only(204), None),
    ("api/sessions/series", "POST"): (staff_only(201), series_body),
    ("api/sessions/<int:pk>/best-seats", "GET"): (anyone(200), lambda w, user: {"count": 2}),
    ("api/bookings", "GET"): (users(200), None),
    ("api/bookings", "POST"): (
        users(201),
        lambda w, user: {"session": w["session"].pk, "seats": [w["session"].room.seats.last().pk]},
    ),
    ("api/bookings/<int:pk>", "GET"): (owner_or_staff(200), None),
    ("api/bookings/<int:pk>", "PUT"): (owner_or_staff(200), lambda w, user: {"seats": [w["free_seat"].pk]}),
    ("api/bookings/<int:pk>", "PATCH"): (owner_or_staff(200), lambda w, user: {"seats": [w["free_seat"].pk]}),
    ("api/bookings/<int:pk>", "DELETE"): (owner_or_staff(204), None),
    ("api/holds", "POST"): (
        users(201),
        lambda w, user: {"session": w["session"].pk, "seats": [w["session"].room.seats.last().pk]},
    ),
    ("api/holds/<int:pk>", "GET"): (owner_only(200), None),
    ("api/holds/<int:pk>", "DELETE"): (owner_only(204), None),
    ("api/holds/<int:pk>/renew", "POST"): (owner_only(200), None),
    # The world's session has seats free: 409 seats_available to every user.
    ("api/sessions/<int:pk>/waitlist", "POST"): (users(409), lambda w, user: {"party_size": 1}),
    ("api/waitlist", "GET"): (users(200), None),
    ("api/waitlist/<int:pk>", "DELETE"): (owner_or_staff(204), None),
    ("api/checkins", "POST"): (staff_only(201), checkin_body),
    ("api/checkins/<str:code>", "DELETE"): (staff_only(204), checked_in),
    ("api/reports/bookings", "GET"): (staff_only(200), lambda w, u: {"group_by": "weekday"}),
    ("api/schema/", "GET"): (anyone(200), None),
    ("api/docs/", "GET"): (anyone(200), None),
}


def _routes(patterns, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        else:
            yield route, pattern


def api_endpoints() -> set[tuple[str, str]]:
    endpoints = set()
    for route, pattern in _routes(get_resolver().url_patterns):
        if not route.startswith("api/"):
            continue
        view = pattern.callback.cls
        allowed = {name.upper() for name in view.http_method_names}
        endpoints |= {(route, m) for m in METHODS if m in allowed and hasattr(view, m.lower())}
    return endpoints


def test_every_endpoint_has_a_row():
    assert api_endpoints() - ROWS.keys() == set()


@pytest.fixture
def world(customer, other_customer, staff) -> dict:
    cache.clear()  # the register throttle counts in the shared cache
    booked = ShowtimeFactory()
    session = ShowtimeFactory(room=booked.room, starts_at=booked.starts_at + timedelta(days=1))
    booking = make_booking(user=customer, showtime=booked, labels=["A1"])
    return {
        "customer": customer,
        "other_customer": other_customer,
        "staff": staff,
        "movie": MovieFactory(),  # without bookings: may be deleted
        "room": RoomFactory(),  # without sessions: may be deleted
        "session": session,  # without bookings
        "booking": booking,
        "free_seat": booked.room.seats.get(row="B", number=1),
        "hold": hold_create(user=customer, showtime=session, seat_ids=[session.room.seats.first().pk]),
        # Set up as it stands (joining needs a sold-out session).
        "waitlist_entry": WaitlistEntry.objects.create(user=customer, showtime=session, party_size=1),
    }


KEYS = {
    "movies": "movie",
    "rooms": "room",
    "sessions": "session",
    "bookings": "booking",
    "holds": "hold",
    "waitlist": "waitlist_entry",
}


def url_of(route: str, w: dict) -> str:
    path = "/" + route
    if "<int:pk>" in route:
        path = path.replace("<int:pk>", str(w[KEYS[route.split("/")[1]]].pk))
    return path.replace("<str:code>", w["booking"].code)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("route", "method"), sorted(ROWS))
def test_each_role_gets_the_status_of_the_matrix(world, route, method, role):
    assert (route, method) in api_endpoints(), f"{method} /{route} has a row but is not routed"
    expected, body = ROWS[(route, method)]
    user = world.get(role)
    data = body(world, user) if body else None

    response = getattr(api_client(user), method.lower())(url_of(route, world), data, format="json")

    assert response.status_code == expected[role], getattr(response, "data", response.content[:200])
