"""A series is priced from one read of the price cards: its queries do not grow with its starts."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest
import time_machine

from movies.tests.factories import MovieFactory
from pricing.tests.factories import price_card, standard_ticket_types
from theaters.models import Showtime
from theaters.series import SeriesSpec, preview_series, series_create
from theaters.tests.factories import RoomFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def thursday_afternoon():
    with time_machine.travel(datetime(2027, 3, 25, 15, 0, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def spec():
    standard_ticket_types()
    price_card("Matinee", prices={"adult": "7.00", "child": "5.00"}, priority=10, starts_before=time(17))

    def of(count: int) -> SeriesSpec:
        return SeriesSpec(
            movie=MovieFactory(runtime_minutes=100),
            room=RoomFactory(),
            first_day=date(2027, 3, 26),
            weekdays=frozenset(range(7)),
            times=[time(14), time(20)],
            count=count,
            prices={"student": Decimal("6.00")},
        )

    return of


@pytest.mark.parametrize("count", [10, 50])
def test_a_preview_reads_the_cards_and_types_once(spec, count, django_assert_num_queries):
    series = spec(count)
    # The showtimes met, the price cards and their prices, the named ticket types.
    with django_assert_num_queries(4):
        planned = preview_series(series)
    assert len(planned) == count
    assert {p.prices[next(t for t in p.prices if t.code == "student")] for p in planned} == {Decimal("6.00")}


@pytest.mark.parametrize("count", [10, 50])
def test_creating_prices_each_start_once(spec, count, django_assert_num_queries):
    series = spec(count)
    # The preview's 4 and the outer savepoint's 2, then per start: its savepoint (2),
    # the room lock, the overlap check, the insert in its savepoint (3), its prices (2).
    with django_assert_num_queries(6 + 9 * count):
        planned = series_create(series)
    assert Showtime.objects.filter(room=series.room).count() == count == len(planned)
