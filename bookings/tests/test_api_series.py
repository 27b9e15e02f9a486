"""POST /api/sessions/series (docs/api.md): created and skipped, the dry run, 400s, 401/403."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cinema.tests.clients import api_client
from movies.tests.factories import MovieFactory
from theaters.models import Showtime, ShowtimePrice
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = pytest.mark.django_db

LISBON = ZoneInfo("Europe/Lisbon")
URL = "/api/sessions/series"


@pytest.fixture(autouse=True)
def lisbon_before_summer_time(settings):
    settings.TIME_ZONE = "Europe/Lisbon"
    with time_machine.travel(datetime(2027, 3, 25, 15, 0, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def movie():
    return MovieFactory(title="Arrival", runtime_minutes=120)


@pytest.fixture
def room():
    return RoomFactory(name="Studio 1", rows=2, seats_per_row=5)


@pytest.fixture
def body(movie, room):
    """Thu 25 to Sun 28 March 2027 (summer time starts on the Sunday) at 14:00 and 20:00."""
    return {
        "movie": movie.pk,
        "room": room.pk,
        "first_day": "2027-03-25",
        "last_day": "2027-03-28",
        "weekdays": ["thursday", "friday", "saturday", "sunday"],
        "times": ["14:00", "20:00"],
        "price": "8.00",
        "prices": [{"ticket_type": "child", "price": "5.00"}],
    }


@pytest.fixture
def dune(room):
    return ShowtimeFactory(
        room=room, movie__title="Dune", starts_at=datetime(2027, 3, 27, 19, 30, tzinfo=LISBON)
    )


def test_it_creates_the_ok_sessions_and_lists_the_skipped(staff, body, movie, dune):
    response = api_client(staff).post(URL, body, format="json")

    assert response.status_code == 201
    data = response.json()
    assert [s["starts_at"] for s in data["created"]] == [
        "2027-03-25T20:00:00+00:00",
        "2027-03-26T14:00:00+00:00",
        "2027-03-26T20:00:00+00:00",
        "2027-03-27T14:00:00+00:00",
        "2027-03-28T14:00:00+01:00",
        "2027-03-28T20:00:00+01:00",
    ]
    first = data["created"][0]
    assert first["id"] == Showtime.objects.filter(movie=movie).earliest("starts_at").pk
    assert first["price"] == "8.00" and first["seats_available"] == 10
    assert {"ticket_type": "child", "name": "Child", "price": "5.00"} in first["prices"]
    assert data["skipped"] == [
        {"starts_at": "2027-03-25T14:00:00+00:00", "reason": "past", "detail": "This start is in the past."},
        {
            "starts_at": "2027-03-27T20:00:00+00:00",
            "reason": "overlap",
            "detail": "Studio 1 is busy then: “Dune” runs Sat 27 Mar 19:30–21:45 (cleaning included).",
        },
    ]
    assert Showtime.objects.filter(movie=movie).count() == 6
    assert ShowtimePrice.objects.filter(showtime__movie=movie, ticket_type__code="child").count() == 6


def test_a_dry_run_answers_200_with_what_would_be_created_and_creates_nothing(staff, body, movie, dune):
    response = api_client(staff).post(URL, {**body, "dry_run": True}, format="json")

    assert response.status_code == 200
    data = response.json()
    assert len(data["created"]) == 6 and {s["id"] for s in data["created"]} == {None}
    assert data["created"][-1]["starts_at"] == "2027-03-28T20:00:00+01:00"
    assert data["created"][-1]["ends_at"] == "2027-03-28T22:00:00+01:00"
    assert data["created"][-1]["price"] == "8.00"
    assert [s["reason"] for s in data["skipped"]] == ["past", "overlap"]
    assert not Showtime.objects.filter(movie=movie).exists()


def test_a_count_instead_of_a_last_day(staff, body):
    del body["last_day"]
    response = api_client(staff).post(URL, {**body, "count": 3, "weekdays": ["monday"]}, format="json")

    assert response.status_code == 201
    assert [s["starts_at"][:16] for s in response.json()["created"]] == [
        "2027-03-29T14:00",
        "2027-03-29T20:00",
        "2027-04-05T14:00",
    ]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"count": 201, "last_day": None}, "count"),
        ({"last_day": "2027-12-31"}, "last_day"),  # 40 weeks × 4 days × 2 times
        ({"count": 3}, "last_day"),
        ({"last_day": "2027-03-24"}, "last_day"),
        ({"weekdays": ["someday"]}, "weekdays"),
        ({"weekdays": []}, "weekdays"),
        ({"times": ["8pm"]}, "times"),
        ({"times": ["24:00"]}, "times"),
        ({"times": ["20:00", "20:00"]}, "times"),
        ({"times": [20]}, "times"),
        ({"first_day": "2027-02-30"}, "first_day"),
        ({"price": "-1"}, "price"),
        ({"movie": 999999}, "movie"),
    ],
)
def test_bad_values_are_400_and_nothing_is_created(staff, body, movie, changes, field):
    payload = {key: value for key, value in {**body, **changes}.items() if value is not None}

    response = api_client(staff).post(URL, payload, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Showtime.objects.filter(movie=movie).exists()


def test_an_unknown_ticket_type_is_400(staff, body, movie):
    response = api_client(staff).post(
        URL, {**body, "prices": [{"ticket_type": "popcorn", "price": "3"}]}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "unknown_ticket_type"
    assert not Showtime.objects.filter(movie=movie).exists()


def test_only_staff_schedule_series(customer, body, movie):
    assert api_client().post(URL, body, format="json").status_code == 401
    assert api_client(customer).post(URL, body, format="json").status_code == 403
    assert not Showtime.objects.filter(movie=movie).exists()


def test_the_schema_documents_it():
    schema = api_client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    operation = schema.json()["paths"]["/api/sessions/series"]["post"]
    assert {"200", "201", "400", "401", "403"} <= set(operation["responses"])
