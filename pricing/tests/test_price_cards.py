"""Which price card prices a showtime: priority, weekday, the local time window, DST."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from pricing.models import PriceCard, TicketType
from pricing.selectors import card_prices_for, price_card_for
from pricing.tests.factories import price_card

pytestmark = pytest.mark.django_db

LISBON = ZoneInfo("Europe/Lisbon")


@pytest.fixture(autouse=True)
def lisbon(settings):
    settings.TIME_ZONE = "Europe/Lisbon"


@pytest.fixture
def cards():
    """Standard (priority 0, from the migration), Matinee before 17:00 (10), Tuesday (20)."""
    return {
        "standard": PriceCard.objects.get(name="Standard"),
        "matinee": price_card("Matinee", prices={"adult": "7.50"}, starts_before=time(17), priority=10),
        "tuesday": price_card("Tuesday", prices={"adult": "6.50"}, weekdays=[2], priority=20),
    }


def at(year, month, day, hour, minute=0, tz=LISBON) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=tz)


@pytest.mark.parametrize(
    ("starts_at", "card"),
    [
        (at(2026, 12, 7, 20), "standard"),  # a Monday evening
        (at(2026, 12, 7, 16, 59), "matinee"),  # the window's end is excluded…
        (at(2026, 12, 7, 17, 0), "standard"),  # …so 17:00 is no matinee
        (at(2026, 12, 7, 0, 0), "matinee"),  # an empty start means from midnight
        (at(2026, 12, 8, 20), "tuesday"),  # Tuesday outranks Standard
        (at(2026, 12, 8, 14), "tuesday"),  # and Matinee (20 > 10)
        (at(2026, 12, 9, 14), "matinee"),  # Wednesday: not Tuesday's day
    ],
)
def test_the_highest_priority_card_covering_the_local_start_wins(cards, starts_at, card):
    assert price_card_for(starts_at) == cards[card]


def test_the_window_start_is_included(cards):
    late = price_card("Late", prices={"adult": "8"}, starts_from=time(22), priority=5)

    assert price_card_for(at(2026, 12, 7, 22, 0)) == late
    assert price_card_for(at(2026, 12, 7, 21, 59)) == cards["standard"]


def test_equal_priorities_go_to_the_card_created_first(cards):
    first = price_card("Weekend A", prices={"adult": "11"}, weekdays=[6, 7], priority=30)
    price_card("Weekend B", prices={"adult": "12"}, weekdays=[6, 7], priority=30)

    assert price_card_for(at(2026, 12, 12, 20)) == first


def test_the_window_is_read_in_local_time_across_a_dst_change(cards):
    # Lisbon is UTC+0 in winter and UTC+1 in summer (since 29 March 2026, 01:00 UTC).
    # 16:30 local is a matinee on both sides, though it is 16:30 UTC in winter and 15:30 in summer.
    winter = datetime(2026, 3, 27, 16, 30, tzinfo=ZoneInfo("UTC"))  # Friday 16:30 in Lisbon
    summer = datetime(2026, 3, 30, 15, 30, tzinfo=ZoneInfo("UTC"))  # Monday 16:30 in Lisbon
    summer_evening = datetime(2026, 3, 30, 16, 30, tzinfo=ZoneInfo("UTC"))  # 17:30 in Lisbon

    assert price_card_for(winter) == cards["matinee"]
    assert price_card_for(summer) == cards["matinee"]
    assert price_card_for(summer_evening) == cards["standard"]


def test_the_weekday_is_the_local_one_too(cards):
    # Monday 23:30 UTC in summer is already Tuesday 00:30 in Lisbon.
    assert price_card_for(datetime(2026, 6, 1, 23, 30, tzinfo=ZoneInfo("UTC"))) == cards["tuesday"]


def test_no_covering_card_gives_no_prices(cards):
    cards["standard"].delete()

    assert card_prices_for(at(2026, 12, 7, 20)) == {}


def test_inactive_types_are_left_out_of_a_cards_prices(cards):
    prices = {t.code: p for t, p in card_prices_for(at(2026, 12, 7, 20)).items()}
    assert set(prices) == {"adult", "child", "senior", "student"}

    TicketType.objects.filter(code="student").update(active=False)

    prices = {t.code: p for t, p in card_prices_for(at(2026, 12, 7, 20)).items()}
    assert set(prices) == {"adult", "child", "senior"}
