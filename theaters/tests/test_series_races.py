"""A series racing another staff member's single showtime, on PostgreSQL with real parallel connections."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cinema.tests.clients import api_client
from cinema.tests.races import race
from movies.tests.factories import MovieFactory
from theaters import services
from theaters.models import Showtime
from theaters.series import OK, OVERLAP, SeriesSpec, series_create
from theaters.services import ScheduleError, showtime_schedule
from theaters.tests.factories import RoomFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

LISBON = ZoneInfo("Europe/Lisbon")
SATURDAY_EVENING = datetime(2027, 3, 27, 19, 30, tzinfo=LISBON)


@pytest.fixture(autouse=True)
def lisbon_before_summer_time(settings):
    settings.TIME_ZONE = "Europe/Lisbon"
    with time_machine.travel(datetime(2027, 3, 25, 15, 0, tzinfo=UTC), tick=True):
        yield


@pytest.fixture
def spec():
    """Fri 26 to Sun 28 March 2027 at 20:00; Saturday's is the one contested."""
    return SeriesSpec(
        movie=MovieFactory(title="Arrival", runtime_minutes=120),
        room=RoomFactory(name="Studio 1"),
        first_day=date(2027, 3, 26),
        last_day=date(2027, 3, 28),
        weekdays=frozenset(range(7)),
        times=[time(20)],
        price=Decimal("8"),
    )


def no_overlap_in(room) -> bool:
    slots = list(Showtime.objects.filter(room=room).order_by("starts_at"))
    return all(a.room_free_at <= b.starts_at for a, b in zip(slots, slots[1:], strict=False))


def assert_one_got_saturday(spec, planned, single) -> None:
    saturday = planned[1]
    if isinstance(single, ScheduleError):
        assert single.code == "showtime_overlap"
        assert saturday.status == OK and saturday.showtime is not None
    else:
        assert isinstance(single, Showtime)
        assert saturday.status == OVERLAP and saturday.showtime is None and saturday.detail
    # Friday and Sunday are the series' whatever happened.
    assert [planned[0].status, planned[2].status] == [OK, OK]
    assert Showtime.objects.filter(movie=spec.movie).count() == 2 + (saturday.showtime is not None)
    assert no_overlap_in(spec.room)


@pytest.mark.parametrize("attempt", range(4))
def test_the_series_and_the_single_showtime_never_both_get_the_slot(spec, attempt):
    other = MovieFactory(title="Dune", runtime_minutes=120)

    planned, single = race(
        [
            lambda: series_create(spec),
            lambda: showtime_schedule(
                movie=other, room=spec.room, starts_at=SATURDAY_EVENING, price=Decimal("9")
            ),
        ]
    )

    assert not isinstance(planned, Exception), planned
    assert_one_got_saturday(spec, planned, single)


@pytest.mark.parametrize("attempt", range(4))
def test_the_exclusion_constraint_decides_when_the_checks_let_both_through(spec, monkeypatch, attempt):
    """Were the room lock and the overlap check ever to miss a showtime, the database's
    exclusion constraint refuses the second insert: a skipped start, not a 500."""

    def check_nothing_but_times(*, showtime):
        showtime.set_times()

    monkeypatch.setattr(services, "check_slot", check_nothing_but_times)
    monkeypatch.setattr(services.Room.objects, "select_for_update", lambda: services.Room.objects.all())
    other = MovieFactory(title="Dune", runtime_minutes=120)

    planned, single = race(
        [
            lambda: series_create(spec),
            lambda: showtime_schedule(
                movie=other, room=spec.room, starts_at=SATURDAY_EVENING, price=Decimal("9")
            ),
        ]
    )

    assert not isinstance(planned, Exception), planned
    assert_one_got_saturday(spec, planned, single)


@pytest.mark.parametrize("attempt", range(2))
def test_through_the_api_neither_request_is_a_5xx(spec, staff, attempt):
    other = MovieFactory(title="Dune", runtime_minutes=120)
    series_body = {
        "movie": spec.movie.pk,
        "room": spec.room.pk,
        "first_day": "2027-03-26",
        "last_day": "2027-03-28",
        "weekdays": ["friday", "saturday", "sunday"],
        "times": ["20:00"],
        "price": "8.00",
    }
    single_body = {
        "movie": other.pk,
        "room": spec.room.pk,
        "starts_at": SATURDAY_EVENING.isoformat(),
        "price": "9",
    }

    series_response, single_response = race(
        [
            lambda: api_client(staff).post("/api/sessions/series", series_body, format="json"),
            lambda: api_client(staff).post("/api/sessions", single_body, format="json"),
        ]
    )

    assert series_response.status_code == 201
    assert single_response.status_code in (201, 400)
    skipped = series_response.json()["skipped"]
    if single_response.status_code == 201:
        assert [item["reason"] for item in skipped] == ["overlap"]
    else:
        assert skipped == [] and "starts_at" in single_response.json()
    assert no_overlap_in(spec.room)
