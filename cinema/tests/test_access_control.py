"""Who may open what: every URL pattern of the project × the methods it accepts × every persona.

The patterns are resolved from the root URLconf, so a view added without a row
here fails `test_every_url_pattern_has_a_row`. The API's rows live in
`test_api_roles.ROWS` (its own matrix, with JSON bodies); this module checks
that each API pattern has one there and covers the pages, the admin and insights.

An outcome is a status code, or a string: a 302 whose Location starts with it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks_db.models import DBTaskResult
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.tests.factories import PASSWORD
from bookings.models import Booking, BookingStatus, Ticket, WaitlistEntry
from bookings.services import hold_create
from bookings.tests.factories import make_booking
from cinema.models import OutgoingMail
from cinema.tests.test_api_roles import ROWS as API_ROWS
from cinema.tests.test_api_roles import api_endpoints
from movies.models import Genre, Movie
from movies.tests.factories import MovieFactory
from pricing.models import PriceCard, TicketType
from theaters.models import Room, Showtime
from theaters.tests.factories import RoomFactory, ShowtimeFactory

ROLES = ["anonymous", "customer", "other_customer", "staff"]
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]

LOGIN = "/accounts/login/?next="
ADMIN_LOGIN = "/admin/login/?next="

Outcome = int | str
Expected = dict[str, Outcome]


def anyone(outcome: Outcome) -> Expected:
    return dict.fromkeys(ROLES, outcome)


def members(outcome: Outcome) -> Expected:
    """Logged-in users only; anonymous visitors are sent to log in."""
    return {"anonymous": LOGIN, "customer": outcome, "other_customer": outcome, "staff": outcome}


def owner_only(outcome: Outcome) -> Expected:
    # The booking is the customer's. Pages show only one's own bookings (staff
    # use the admin): anyone else's code is "not found", so codes cannot be probed.
    return {"anonymous": LOGIN, "customer": outcome, "other_customer": 404, "staff": 404}


def owner_or_staff(outcome: Outcome) -> Expected:
    return {"anonymous": LOGIN, "customer": outcome, "other_customer": 404, "staff": outcome}


def door_staff(outcome: Outcome) -> Expected:
    """The check-in pages: visitors log in, customers are refused (403)."""
    return {"anonymous": LOGIN, "customer": 403, "other_customer": 403, "staff": outcome}


def guests(outcome: Outcome, *, members_get: Outcome) -> Expected:
    return {
        "anonymous": outcome,
        "customer": members_get,
        "other_customer": members_get,
        "staff": members_get,
    }


def admin_only(staff: Outcome) -> Expected:
    """Visitors are sent to the admin's login page; customers are told it is for staff (403)."""
    return {"anonymous": ADMIN_LOGIN, "customer": 403, "other_customer": 403, "staff": staff}


Body = Callable[[dict, str], dict]


def booking_body(w: dict, role: str) -> dict:
    return {"seats": [w["free_seat"].pk]}


def new_booking_body(w: dict, role: str) -> dict:
    # A seat of its own for each role, so that each booking can succeed.
    return {"seats": [w["showtime"].room.seats.get(row="C", number=ROLES.index(role) + 1).pk]}


def signup_body(w: dict, role: str) -> dict:
    return {
        "email": f"new-{role}@example.com",
        "name": "New",
        "password1": "a-fresh-tangerine-42",
        "password2": "a-fresh-tangerine-42",
    }


def new_password_body(w: dict, role: str) -> dict:
    return {
        "old_password": PASSWORD,
        "new_password1": "a-fresh-tangerine-42",
        "new_password2": "a-fresh-tangerine-42",
    }


# Page routes: {method: (expected per role, body builder or None)}. Methods not
# listed must answer 405 (checked by `test_a_page_refuses_the_methods_it_does_not_list`).
PAGES: dict[str, dict[str, tuple[Expected, Body | None]]] = {
    "": {"GET": (anyone(200), None)},
    "movies/": {"GET": (anyone(200), None)},
    "movies/<int:pk>/": {"GET": (anyone(200), None)},
    "accounts/signup/": {
        "GET": (anyone(200), None),
        "POST": (anyone("/"), signup_body),
    },
    "accounts/login/": {
        # Logged-in users are sent on to the home page.
        "GET": (guests(200, members_get="/"), None),
        "POST": (anyone("/"), lambda w, role: {"username": w["customer"].email, "password": PASSWORD}),
        "PUT": (guests(200, members_get="/"), None),  # Django's FormView treats PUT as POST
    },
    "accounts/logout/": {"POST": (anyone("/"), None)},
    "accounts/password/change/": {
        "GET": (members(200), None),
        "POST": (members("/accounts/password/change/done/"), new_password_body),
        "PUT": (members(200), None),
    },
    "accounts/password/change/done/": {"GET": (members(200), None)},
    "accounts/password/reset/": {
        "GET": (anyone(200), None),
        "POST": (anyone("/accounts/password/reset/sent/"), lambda w, role: {"email": w["customer"].email}),
        "PUT": (anyone(200), None),
    },
    "accounts/password/reset/sent/": {"GET": (anyone(200), None)},
    # A bad token shows "this link has expired" and changes nothing.
    "accounts/password/reset/<uidb64>/<token>/": {
        "GET": (anyone(200), None),
        "POST": (
            anyone(200),
            lambda w, role: {"new_password1": "x-new-pass-91", "new_password2": "x-new-pass-91"},
        ),
        # The expired-link page answers whatever the method.
        "PUT": (anyone(200), None),
        "PATCH": (anyone(200), None),
        "DELETE": (anyone(200), None),
    },
    "accounts/password/reset/done/": {"GET": (anyone(200), None)},
    "showtimes/<int:pk>/": {
        "GET": (anyone(200), None),
        "POST": (members("/checkout/"), new_booking_body),
    },
    "showtimes/<int:pk>/seats/": {"GET": (anyone(200), None)},
    # The hold is the customer's; an empty POST (no action) goes back to its page.
    "checkout/<int:pk>/": {
        "GET": (owner_only(200), None),
        "POST": (owner_only("/checkout/"), None),
    },
    "bookings/": {"GET": (members(200), None)},
    # The world's showtime has seats free: joining is refused on the seat map (200); a GET
    # (the way back from the login page) goes to the map.
    "showtimes/<int:pk>/waitlist/": {
        "GET": (members("/showtimes/"), None),
        "POST": (members(200), lambda w, role: {"party_size": 1}),
    },
    "waitlist/<int:pk>/leave/": {"POST": (owner_only("/bookings/"), None)},
    "bookings/<str:code>/": {"GET": (owner_only(200), None)},
    "bookings/<str:code>/calendar.ics": {"GET": (owner_or_staff(200), None)},
    "checkin/": {"GET": (door_staff(200), None)},
    # Staff's answer is a page (admitted or not): 200 either way.
    "checkin/<int:pk>/": {
        "GET": (door_staff(200), None),
        "POST": (door_staff(200), lambda w, role: {"code": w["booking"].code}),
    },
    "checkin/<int:pk>/undo/": {"POST": (door_staff(200), lambda w, role: {"code": w["booking"].code})},
    "checkin/<int:pk>/count/": {"GET": (door_staff(200), None)},
    "bookings/<str:code>/change/": {
        "GET": (owner_only(200), None),
        "POST": (owner_only("/bookings/"), booking_body),
    },
    "bookings/<str:code>/cancel/": {
        "GET": (owner_only(200), None),
        "POST": (owner_only("/bookings/"), None),
    },
    # Read-only views that do not restrict the method: any method reads.
    "admin/insights/": dict.fromkeys(METHODS, (admin_only(200), None)),
    "admin/insights/export.csv": dict.fromkeys(METHODS, (admin_only(200), None)),
    "healthz": {"GET": (anyone(200), None)},
    "ping": {"GET": (anyone(200), None)},
    "favicon.ico": {"GET": (anyone(301), None)},
    "^media/(?P<path>.+)$": {"GET": (anyone(404), None), "POST": (anyone(405), None)},
    # The footer's language switcher: any method goes back (to / without a `next`); only a POST sets it.
    "i18n/setlang/": dict.fromkeys(METHODS, (anyone("/"), None)),
    "jsi18n/": {"GET": (anyone(200), None)},
}

# The admin site's own views. Admin views do not restrict methods: GET and an
# empty POST are checked for every one (an empty POST changes nothing even for staff).
ADMIN_SITE: dict[str, dict[str, Expected]] = {
    "admin/": {"GET": admin_only(200), "POST": admin_only(200)},
    # The login page itself: shown to visitors (an empty POST: errors); staff go on to the index.
    "admin/login/": {
        "GET": {"anonymous": 200, "customer": 403, "other_customer": 403, "staff": "/admin/"},
        "POST": {**admin_only(200), "anonymous": 200},
    },
    # Logging out of the admin when not in it just goes back to its index.
    "admin/logout/": {"POST": {**admin_only("/"), "anonymous": "/admin/"}},
    "admin/password_change/": {"GET": admin_only(200), "POST": admin_only(200)},
    "admin/password_change/done/": {"GET": admin_only(200), "POST": admin_only(405)},
    # Without its query parameters the autocomplete refuses even staff.
    "admin/autocomplete/": {"GET": admin_only(403), "POST": admin_only(405)},
    "admin/jsi18n/": {"GET": admin_only(200), "POST": admin_only(405)},
    # "View on site" for a booking: staff are sent to its page (which is the owner's).
    "admin/r/<path:content_type_id>/<path:object_id>/": {
        "GET": admin_only("http://testserver/bookings/"),
        "POST": admin_only("http://testserver/bookings/"),
    },
    "admin/^(?P<app_label>auth|axes|django_tasks_database|accounts|token_blacklist|cinema|movies|pricing|theaters|bookings)/$": {  # noqa: E501
        "GET": admin_only(200),
        "POST": admin_only(200),
    },
    "admin/(?P<url>.*)$": {"GET": admin_only(404), "POST": admin_only(404)},
    "admin/accounts/user/<id>/password/": {"GET": admin_only(200), "POST": admin_only(200)},
    # The showtime form's price preview: without its date and time, a bad request.
    "admin/theaters/showtime/price-preview/": {"GET": admin_only(400), "POST": admin_only(400)},
    # Schedule a series: the form, and posted empty, the form again with its errors.
    "admin/theaters/showtime/series/": {"GET": admin_only(200), "POST": admin_only(200)},
    # A booking page's "Cancel this booking": a POST only; staff go back to the booking.
    "admin/bookings/booking/<path:object_id>/cancel/": {
        "GET": admin_only(405),
        "POST": admin_only("/admin/bookings/booking/"),
    },
}

# Every model registered in the admin, with staff's outcome on each of its
# generated views (ModelAdmin.get_urls): changelist, add, change, delete,
# history, and the bare object URL that redirects to change. Read-only models
# refuse add/delete (403); the token admins accept only GET on change.
ADMIN_MODEL_VIEWS = ["changelist", "add", "change", "delete", "history", "object"]
ADMIN_MODEL_ROUTES = {
    "changelist": "admin/{model}/",
    "add": "admin/{model}/add/",
    "history": "admin/{model}/<path:object_id>/history/",
    "delete": "admin/{model}/<path:object_id>/delete/",
    "change": "admin/{model}/<path:object_id>/change/",
    "object": "admin/{model}/<path:object_id>/",
}
EDITABLE = {"changelist": 200, "add": 200, "change": 200, "delete": 200, "history": 200, "object": "/admin/"}
READ_ONLY = {
    "GET": {**EDITABLE, "add": 403, "delete": 403},
    "POST": {**EDITABLE, "add": 403, "delete": 403, "change": 403},
}
ADMIN_MODELS: dict[str, dict[str, dict[str, Outcome]]] = {
    "auth/group": {"GET": EDITABLE, "POST": EDITABLE},
    "accounts/user": {"GET": EDITABLE, "POST": EDITABLE},
    "movies/movie": {"GET": EDITABLE, "POST": EDITABLE},
    "movies/genre": {"GET": EDITABLE, "POST": EDITABLE},
    "theaters/room": {"GET": EDITABLE, "POST": EDITABLE},
    "theaters/showtime": {"GET": EDITABLE, "POST": EDITABLE},
    "pricing/tickettype": {"GET": EDITABLE, "POST": EDITABLE},
    "pricing/pricecard": {"GET": EDITABLE, "POST": EDITABLE},
    # Bookings are made by customers and cancelled, never added or deleted.
    "bookings/booking": {
        "GET": {**EDITABLE, "add": 403, "delete": 403},
        "POST": {**EDITABLE, "add": 403, "delete": 403},
    },
    # Holds are made by customers; staff see and release them, never add or delete.
    "bookings/hold": {
        "GET": {**EDITABLE, "add": 403, "delete": 403},
        # Every field is read-only: an empty POST changes nothing and goes back to the list.
        "POST": {**EDITABLE, "add": 403, "delete": 403, "change": "/admin/bookings/hold/"},
    },
    # Waiting list entries are made by customers; staff see them and take them off.
    "bookings/waitlistentry": {
        "GET": {**EDITABLE, "add": 403, "delete": 403},
        "POST": {**EDITABLE, "add": 403, "delete": 403, "change": "/admin/bookings/waitlistentry/"},
    },
    # Staff see every e-mail and re-send failed ones (the list's action); nothing is added or deleted.
    "cinema/outgoingmail": {
        "GET": {**EDITABLE, "add": 403, "delete": 403},
        "POST": {**EDITABLE, "add": 403, "delete": 403, "change": "/admin/cinema/outgoingmail/"},
    },
    # django-tasks-db's own list of the queue's tasks, read-only.
    "django_tasks_database/dbtaskresult": READ_ONLY,
    # Read-only for everyone (accounts/admin.py): deleting a blacklist entry, or the
    # outstanding token under it, would let a revoked refresh token work again.
    "token_blacklist/outstandingtoken": READ_ONLY,
    "token_blacklist/blacklistedtoken": READ_ONLY,
    # Staff unlock a locked-out email by deleting its access attempt.
    "axes/accessattempt": {
        "GET": {**EDITABLE, "add": 403},
        "POST": {**EDITABLE, "add": 403, "change": "/admin/axes/accessattempt/"},
    },
    "axes/accesslog": {
        "GET": {**EDITABLE, "add": 403},
        "POST": {**EDITABLE, "add": 403, "change": "/admin/axes/accesslog/"},
    },
    "axes/accessfailurelog": {
        "GET": {**EDITABLE, "add": 403},
        "POST": {**EDITABLE, "add": 403, "change": "/admin/axes/accessfailurelog/"},
    },
}


def admin_model_rows() -> dict[tuple[str, str], Expected]:
    rows = {}
    for model, by_method in ADMIN_MODELS.items():
        for method, staff_outcomes in by_method.items():
            for view, template in ADMIN_MODEL_ROUTES.items():
                rows[(template.format(model=model), method)] = admin_only(staff_outcomes[view])
    return rows


def table() -> dict[tuple[str, str], tuple[Expected, Body | None]]:
    rows: dict[tuple[str, str], tuple[Expected, Body | None]] = {}
    for route, by_method in PAGES.items():
        rows |= {(route, method): row for method, row in by_method.items()}
    for route, by_method in ADMIN_SITE.items():
        rows |= {(route, method): (expected, None) for method, expected in by_method.items()}
    rows |= {key: (expected, None) for key, expected in admin_model_rows().items()}
    return rows


ROWS = table()


def _routes(patterns, prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def all_routes() -> set[str]:
    return set(_routes(get_resolver().url_patterns))


def test_every_url_pattern_has_a_row():
    routes = all_routes()
    api = {route for route in routes if route.startswith("api/")}
    covered_here = {route for route, _method in ROWS}

    assert routes - api - covered_here == set(), "routes without a row in this module's table"
    assert covered_here - routes == set(), "rows for routes that no longer exist"
    # The API's own matrix has a row for each of its routes and methods.
    assert {route for route, _method in api_endpoints()} == api
    assert api_endpoints() <= API_ROWS.keys()


# --- the world the requests run in ------------------------------------------


@pytest.fixture
def world(customer, other_customer, staff, settings) -> dict:
    # django-tasks-db's admin reads its rows' tasks through the database backend, as in production.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    showtime = ShowtimeFactory()
    booking = make_booking(user=customer, showtime=showtime, labels=["A1"])
    hold = hold_create(
        user=customer, showtime=showtime, seat_ids=[showtime.room.seats.get(row="B", number=2).pk]
    )
    # Set up as it stands (joining needs a sold-out showtime, which this one is not).
    entry = WaitlistEntry.objects.create(user=customer, showtime=showtime, party_size=1)
    refresh = RefreshToken.for_user(customer)
    refresh.blacklist()
    client_data = {"ip_address": "127.0.0.1", "user_agent": "test", "path_info": "/accounts/login/"}
    return {
        "customer": customer,
        "other_customer": other_customer,
        "staff": staff,
        "movie": showtime.movie,
        "showtime": showtime,
        "booking": booking,
        "hold": hold,
        "waitlist_entry": entry,
        "free_seat": showtime.room.seats.get(row="B", number=1),
        "objects": {
            "auth/group": Group.objects.create(name="Ushers"),
            "accounts/user": customer,
            "movies/movie": MovieFactory(),
            "movies/genre": Genre.objects.create(name="Drama", slug="drama"),
            "theaters/room": RoomFactory(),
            "theaters/showtime": showtime,
            "pricing/tickettype": TicketType.objects.create(name="Member", code="member", order=50),
            "pricing/pricecard": PriceCard.objects.create(name="Late", priority=5),
            "bookings/booking": booking,
            "bookings/hold": hold,
            "bookings/waitlistentry": entry,
            "cinema/outgoingmail": OutgoingMail.objects.create(
                to=customer.email, subject="Your tickets", kind="booking_confirmed", text="Hello"
            ),
            "django_tasks_database/dbtaskresult": DBTaskResult.objects.create(
                args_kwargs={"args": [1], "kwargs": {}},
                task_path="cinema.mail.deliver_mail",
                backend_name="default",
                queue_name="default",
                run_after=timezone.now(),
            ),
            "token_blacklist/outstandingtoken": OutstandingToken.objects.get(jti=refresh["jti"]),
            "token_blacklist/blacklistedtoken": BlacklistedToken.objects.get(),
            # A failed login for an email nobody here logs in with (a login would reset it).
            "axes/accessattempt": AccessAttempt.objects.create(
                username="ghost@example.com", failures_since_start=1, get_data="", post_data="", **client_data
            ),
            "axes/accesslog": AccessLog.objects.create(username=staff.email, **client_data),
            # Axes keeps no failure log by default; staff may still open the admin's.
            "axes/accessfailurelog": AccessFailureLog.objects.create(
                username="ghost@example.com", **client_data
            ),
        },
    }


def url_of(route: str, w: dict) -> str:
    if route.startswith("^media/"):  # an uploaded picture; none here, so "not found" for anyone
        return "/media/posters/none.jpg"
    if route.startswith("admin/^"):
        return "/admin/movies/"
    if route.startswith("admin/(?P<url>"):
        return "/admin/no-such-page/"
    if route.startswith("admin/r/"):  # "view on site" for the customer's booking
        booking = ContentType.objects.get_for_model(Booking).pk
        return f"/admin/r/{booking}/{w['booking'].pk}/"
    values = {
        "<int:pk>": (
            w["movie"].pk
            if route.startswith("movies/")
            else w["hold"].pk
            if route.startswith("checkout/")
            else w["waitlist_entry"].pk
            if route.startswith("waitlist/")
            else w["showtime"].pk
        ),
        "<str:code>": w["booking"].code,
        "<uidb64>": urlsafe_base64_encode(force_bytes(w["customer"].pk)),
        "<token>": "not-a-real-token",
        "<id>": w["customer"].pk,
    }
    if "<path:object_id>" in route:
        model = re.match(r"admin/(\w+/\w+)/", route).group(1)
        values["<path:object_id>"] = w["objects"][model].pk
    path = "/" + route
    for placeholder, value in values.items():
        path = path.replace(placeholder, str(value))
    return path


def acting_as(client: Client, w: dict, role: str) -> Client:
    # One client per test: each new Client loads the middleware again, and
    # WhiteNoise's start-up (a scan of the static files) is most of a request's cost.
    client.logout()
    if role != "anonymous":
        # Fresh from the database: an earlier request may have changed the password.
        client.force_login(type(w[role]).objects.get(pk=w[role].pk))
    return client


def outcome_of(response) -> Outcome:
    return response["Location"] if response.status_code == 302 else response.status_code


def matches(actual: Outcome, expected: Outcome) -> bool:
    if isinstance(expected, str):
        return isinstance(actual, str) and actual.startswith(expected)
    return actual == expected


def snapshot() -> tuple:
    """What a refused request must not change."""
    return (
        list(Booking.objects.order_by("pk").values_list("pk", "status", "total_price")),
        list(Ticket.objects.filter(active=True).order_by("pk").values_list("pk", "seat_id")),
        Movie.objects.count(),
        Room.objects.count(),
        Showtime.objects.count(),
        Group.objects.count(),
    )


def group_of(route: str) -> str:
    # One test per page, per admin site view, and per admin model (all its views):
    # one world per test keeps the module quick.
    model = re.match(r"admin/(\w+/\w+)/", route)
    return model.group(1) if model and model.group(1) in ADMIN_MODELS else route


def groups() -> dict[str, list[tuple[str, str]]]:
    grouped: dict[str, list[tuple[str, str]]] = {}
    for route, method in sorted(ROWS):
        grouped.setdefault(group_of(route), []).append((route, method))
    return grouped


@pytest.mark.django_db
@pytest.mark.parametrize("group", sorted(groups()))
def test_each_role_gets_the_outcome_of_the_table(world, group):
    client, failures = Client(), []
    for route, method in groups()[group]:
        expected, body = ROWS[(route, method)]
        for role in ROLES:
            before = snapshot()
            data = body(world, role) if body else {}
            response = getattr(acting_as(client, world, role), method.lower())(url_of(route, world), data)
            actual = outcome_of(response)
            if not matches(actual, expected[role]):
                failures.append(f"{method} /{route} {role}: {actual!r}, expected {expected[role]!r}")
            if expected[role] in (LOGIN, ADMIN_LOGIN, 403, 404) and snapshot() != before:
                failures.append(f"{method} /{route} {role}: was refused but something changed")

    assert failures == []


@pytest.mark.django_db
@pytest.mark.parametrize("route", sorted(PAGES))
def test_a_page_refuses_the_methods_it_does_not_list(world, route):
    refused = [m for m in METHODS if m not in PAGES[route]]
    first = next(iter(PAGES[route].values()))[0]
    # As someone the page serves: others are turned away before the method is looked at.
    role = next(role for role in ROLES if first[role] == 200) if 200 in first.values() else "customer"
    client = acting_as(Client(), world, role)
    statuses = {m: getattr(client, m.lower())(url_of(route, world)).status_code for m in refused}

    assert statuses == dict.fromkeys(refused, 405)


@pytest.mark.django_db
def test_a_customer_never_reaches_another_customers_booking(world):
    """Object level, pages and API: by code and by id, to read, change or cancel."""
    from cinema.tests.clients import api_client

    booking = world["booking"]
    page = acting_as(Client(), world, "other_customer")
    api = api_client(world["other_customer"])
    seats = {"seats": [world["free_seat"].pk]}
    before = snapshot()

    statuses = [
        page.get(f"/bookings/{booking.code}/").status_code,
        page.get(f"/bookings/{booking.code.lower()}/").status_code,
        page.get(f"/bookings/{booking.code}/change/").status_code,
        page.post(f"/bookings/{booking.code}/change/", seats).status_code,
        page.get(f"/bookings/{booking.code}/cancel/").status_code,
        page.post(f"/bookings/{booking.code}/cancel/").status_code,
        api.get(f"/api/bookings/{booking.pk}").status_code,
        api.put(f"/api/bookings/{booking.pk}", seats, format="json").status_code,
        api.patch(f"/api/bookings/{booking.pk}", seats, format="json").status_code,
        api.delete(f"/api/bookings/{booking.pk}").status_code,
        api.get(f"/api/bookings/{booking.code}").status_code,
    ]
    listed = api.get("/api/bookings").json()["results"] + [None]

    assert statuses == [404] * len(statuses)
    assert snapshot() == before
    assert booking.code not in page.get("/bookings/").content.decode()
    assert all(item is None or item["id"] != booking.pk for item in listed)
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED


def test_the_admin_table_names_every_registered_model():
    registered = {f"{model._meta.app_label}/{model._meta.model_name}" for model in admin.site._registry}

    assert set(ADMIN_MODELS) == registered
