"""Weekdays, time slots and date ranges are local to settings.TIME_ZONE, on
both sides of a daylight-saving change, wherever the theater is."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from bookings.reports import booking_report, fullest_upcoming_showtimes
from bookings.tests.factories import make_booking
from theaters.tests.factories import RoomFactory, ShowtimeFactory


def next_dst_change(zone: ZoneInfo) -> date:
    """The first local day from next week on whose noon has another UTC offset than the day before."""
    day = timezone.localdate(timezone=zone) + timedelta(days=7)
    while True:
        before = datetime.combine(day - timedelta(days=1), time(12), tzinfo=zone).utcoffset()
        if datetime.combine(day, time(12), tzinfo=zone).utcoffset() != before:
            return day
        day += timedelta(days=1)


@pytest.fixture
def los_angeles(settings, db):
    settings.TIME_ZONE = "America/Los_Angeles"
    return ZoneInfo("America/Los_Angeles")


@pytest.fixture
def auckland(settings, db):
    settings.TIME_ZONE = "Pacific/Auckland"
    return ZoneInfo("Pacific/Auckland")


def keys_with_sessions(rows) -> list[str]:
    return [row.key for row in rows if row.sessions]


def test_a_2330_showtime_counts_on_its_local_weekday_and_late_both_sides_of_a_dst_change(
    los_angeles, customer
):
    change = next_dst_change(los_angeles)
    room = RoomFactory(rows=1, seats_per_row=4)
    # In UTC these start at 06:30 or 07:30 the next morning.
    for day, seats in ((change - timedelta(days=1), ["A1"]), (change + timedelta(days=1), ["A1", "A2"])):
        showtime = ShowtimeFactory(
            room=room, starts_at=datetime.combine(day, time(23, 30), tzinfo=los_angeles)
        )
        make_booking(user=customer, showtime=showtime, labels=seats)
    first, last = change - timedelta(days=1), change + timedelta(days=1)

    weekdays = booking_report(group_by="weekday", date_from=first, date_to=last)
    slots = booking_report(group_by="time_slot", date_from=first, date_to=last)

    by_key = {row.key: row for row in weekdays}
    before, after = (first.strftime("%A").lower(), last.strftime("%A").lower())
    assert keys_with_sessions(weekdays) == sorted({before, after}, key=list(by_key).index)
    assert (by_key[before].tickets, by_key[after].tickets) == (1, 2)
    assert keys_with_sessions(slots) == ["late"]
    assert {row.key: row.tickets for row in slots}["late"] == 3


def test_the_range_ends_at_local_midnight(los_angeles):
    day = timezone.localdate(timezone=los_angeles) + timedelta(days=10)
    ShowtimeFactory(starts_at=datetime.combine(day, time(23, 30), tzinfo=los_angeles))
    ShowtimeFactory(starts_at=datetime.combine(day + timedelta(days=1), time(0, 30), tzinfo=los_angeles))

    rows = booking_report(group_by="time_slot", date_from=day, date_to=day)

    # The 23:30 one is on `day` locally (the next day in UTC); the 00:30 one is not.
    assert [(row.key, row.sessions) for row in rows if row.sessions] == [("late", 1)]


def test_an_early_show_in_auckland_counts_on_its_local_weekday_and_in_the_morning(auckland):
    day = timezone.localdate(timezone=auckland) + timedelta(days=10)
    # 00:30 in Auckland is 11:30 or 12:30 the day before in UTC.
    ShowtimeFactory(starts_at=datetime.combine(day, time(0, 30), tzinfo=auckland))

    weekdays = booking_report(group_by="weekday", date_from=day, date_to=day)
    slots = booking_report(group_by="time_slot", date_from=day, date_to=day)

    assert keys_with_sessions(weekdays) == [day.strftime("%A").lower()]
    assert keys_with_sessions(slots) == ["morning"]


def test_a_late_show_across_the_auckland_dst_change_stays_late(auckland):
    change = next_dst_change(auckland)
    for day in (change - timedelta(days=1), change + timedelta(days=1)):
        ShowtimeFactory(starts_at=datetime.combine(day, time(23, 30), tzinfo=auckland))

    slots = booking_report(
        group_by="time_slot", date_from=change - timedelta(days=1), date_to=change + timedelta(days=1)
    )

    assert [(row.key, row.sessions) for row in slots if row.sessions] == [("late", 2)]


def test_upcoming_showtimes_run_to_the_end_of_the_local_day(los_angeles):
    day = timezone.localdate(timezone=los_angeles) + timedelta(days=3)
    late = ShowtimeFactory(starts_at=datetime.combine(day, time(23, 30), tzinfo=los_angeles))
    ShowtimeFactory(starts_at=datetime.combine(day + timedelta(days=1), time(0, 30), tzinfo=los_angeles))

    assert fullest_upcoming_showtimes(until=day) == [late]
