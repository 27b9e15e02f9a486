from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from bookings.reports import (
    BookingReportForm,
    ReportRow,
    booking_report,
    booking_report_totals,
    default_report_range,
    fullest_upcoming_showtimes,
    occupancy_heatmap,
)
from bookings.tests.factories import make_booking
from bookings.tests.report_fixtures import (
    EXPECTED_MOVIE,
    EXPECTED_TIME_SLOT,
    EXPECTED_TOTAL,
    EXPECTED_WEEKDAY,
    build_week,
    local,
    report_week_monday,
)
from movies.tests.factories import MovieFactory
from theaters.models import Showtime
from theaters.tests.factories import RoomFactory, ShowtimeFactory


@pytest.fixture
def week(customer, other_customer, staff):
    return build_week(customer=customer, other_customer=other_customer, staff=staff)


def numbers(row: ReportRow) -> tuple:
    return (row.sessions, row.bookings, row.tickets, f"{row.revenue:.2f}", row.seats_offered, row.occupancy)


def report(week, group_by: str) -> list[ReportRow]:
    return booking_report(group_by=group_by, date_from=week.monday, date_to=week.sunday)


def test_it_counts_each_weekday_in_order_with_empty_days_zeroed(week):
    rows = report(week, "weekday")

    assert [row.key for row in rows] == list(EXPECTED_WEEKDAY)
    assert [row.label for row in rows][:2] == ["Monday", "Tuesday"]
    assert {row.key: numbers(row) for row in rows} == EXPECTED_WEEKDAY


def test_it_counts_each_time_slot_in_order(week):
    rows = report(week, "time_slot")

    assert [row.key for row in rows] == ["morning", "afternoon", "evening", "late"]
    assert {row.key: numbers(row) for row in rows} == EXPECTED_TIME_SLOT


def test_it_counts_each_movie_with_its_id_as_key_and_title_as_label(week):
    rows = report(week, "movie")

    assert [(row.key, row.label) for row in rows] == [
        (str(week.alpha_id), "Alpha"),
        (str(week.bravo_id), "Bravo"),
    ]
    assert {row.label: numbers(row) for row in rows} == EXPECTED_MOVIE


def test_its_totals_cover_the_whole_range(week):
    assert numbers(booking_report_totals(date_from=week.monday, date_to=week.sunday)) == EXPECTED_TOTAL


def test_it_leaves_out_cancelled_bookings_and_released_seats(week, customer):
    monday = {row.key: row for row in report(week, "time_slot")}["morning"]

    # Only the customer's A1 and A2: the other customer's cancelled A3 does not count.
    assert (monday.bookings, monday.tickets, monday.revenue) == (1, 2, Decimal("20.00"))


def test_it_leaves_out_cancelled_sessions_entirely(week):
    friday = {row.key: row for row in report(week, "weekday")}["friday"]

    assert numbers(friday) == (0, 0, 0, "0.00", 0, 0.0)


def test_it_includes_both_ends_of_the_range_as_local_days(week):
    monday_only = booking_report(group_by="weekday", date_from=week.monday, date_to=week.monday)
    from_tuesday = booking_report(
        group_by="weekday", date_from=week.monday + timedelta(days=1), date_to=week.sunday
    )

    assert [row.key for row in monday_only if row.sessions] == ["monday"]
    assert [row.key for row in from_tuesday if row.sessions] == ["wednesday"]


def test_an_empty_range_gives_zeroed_weekdays_and_slots_and_no_movies(db):
    day = report_week_monday()

    weekdays = booking_report(group_by="weekday", date_from=day, date_to=day)
    slots = booking_report(group_by="time_slot", date_from=day, date_to=day)

    assert len(weekdays) == 7 and len(slots) == 4
    assert all(numbers(row) == (0, 0, 0, "0.00", 0, 0.0) for row in [*weekdays, *slots])
    assert booking_report(group_by="movie", date_from=day, date_to=day) == []
    assert booking_report_totals(date_from=day, date_to=day).sessions == 0


def test_a_session_without_bookings_still_offers_its_seats(db):
    day = report_week_monday()
    ShowtimeFactory(room=RoomFactory(rows=2, seats_per_row=5), starts_at=local(day, 12))

    (row,) = booking_report(group_by="movie", date_from=day, date_to=day)

    assert numbers(row) == (1, 0, 0, "0.00", 10, 0.0)


@pytest.mark.parametrize(
    ("hour", "minute", "slot"),
    [
        (0, 0, "morning"),
        (11, 59, "morning"),
        (12, 0, "afternoon"),
        (16, 59, "afternoon"),
        (17, 0, "evening"),
        (20, 59, "evening"),
        (21, 0, "late"),
        (23, 59, "late"),
    ],
)
def test_it_puts_each_start_time_in_its_slot(db, hour, minute, slot):
    day = report_week_monday()
    ShowtimeFactory(starts_at=local(day, hour, minute))

    rows = booking_report(group_by="time_slot", date_from=day, date_to=day)

    assert [row.key for row in rows if row.sessions] == [slot]


def test_it_computes_each_report_in_one_query(week, django_assert_num_queries):
    for group_by in ("weekday", "time_slot", "movie"):
        # 1: sessions grouped, with per-session booking, revenue and ticket subqueries
        with django_assert_num_queries(1):
            report(week, group_by)


def test_its_heatmap_has_every_weekday_and_slot(week):
    heatmap = occupancy_heatmap(date_from=week.monday, date_to=week.sunday)

    assert [day.key for day in heatmap] == list(EXPECTED_WEEKDAY)
    cells = {(day.key, cell.key): cell for day in heatmap for cell in day.cells}
    assert len(cells) == 28
    assert numbers(cells["monday", "evening"]) == EXPECTED_TIME_SLOT["evening"]
    assert numbers(cells["wednesday", "late"]) == EXPECTED_TIME_SLOT["late"]
    assert cells["friday", "evening"].sessions == 0


def test_upcoming_showtimes_come_fullest_first(week, customer):
    upcoming = fullest_upcoming_showtimes(until=week.sunday)

    assert [(s.movie.title, s.seats_sold, s.room.capacity) for s in upcoming] == [
        ("Alpha", 3, 10),  # 30 %
        ("Bravo", 6, 40),  # 15 %
        ("Bravo", 1, 10),  # 10 %
        ("Alpha", 2, 40),  # 5 %
    ]


def test_upcoming_showtimes_stop_at_the_end_of_the_range(week):
    assert fullest_upcoming_showtimes(until=week.monday - timedelta(days=1)) == []


def test_the_form_defaults_to_the_last_30_days_and_the_next_30(db):
    form = BookingReportForm({"group_by": "movie"})

    assert form.is_valid(), form.errors
    assert (form.cleaned_data["from"], form.cleaned_data["to"]) == default_report_range()
    first, last = default_report_range()
    assert (last - first).days == 60


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "group_by"),
        ({"group_by": "month"}, "group_by"),
        ({"group_by": "weekday", "from": "2026-02-30"}, "from"),
        ({"group_by": "weekday", "to": "tomorrow"}, "to"),
        # The API and the command keep YYYY-MM-DD only; the dashboard adds the locale's.
        ({"group_by": "weekday", "from": "03/02/2026"}, "from"),
        ({"group_by": "weekday", "from": "0001-01-01"}, "from"),
        ({"group_by": "weekday", "from": "2026-03-02", "to": "2026-03-01"}, "to"),
    ],
)
def test_the_form_refuses_bad_queries_field_by_field(db, data, field):
    form = BookingReportForm(data)

    assert not form.is_valid()
    assert list(form.errors) == [field]


def test_a_movie_without_sessions_in_range_is_not_listed(week):
    MovieFactory(title="Charlie")

    assert [row.label for row in report(week, "movie")] == ["Alpha", "Bravo"]


def test_bookings_made_later_are_counted(week, customer):
    wed_late = Showtime.objects.get(starts_at=local(week.monday + timedelta(days=2), 21, 30))
    make_booking(user=customer, showtime=wed_late, labels=["C1"])

    late = {row.key: row for row in report(week, "time_slot")}["late"]

    assert (late.bookings, late.tickets, late.revenue) == (2, 7, Decimal("87.50"))


@pytest.mark.parametrize(
    ("tickets", "seats", "fraction", "percent"),
    [
        (0, 0, "0.0000", "0.0"),
        (1, 3, "0.3333", "33.3"),
        (1, 16, "0.0625", "6.3"),  # half up, as a spreadsheet rounds the fraction beside it
        (2, 2, "1.0000", "100.0"),
    ],
)
def test_its_csv_has_the_occupancy_as_a_percentage_beside_the_fraction_and_the_seats_offered(
    tickets, seats, fraction, percent
):
    row = ReportRow(key="k", label="K", sessions=1, tickets=tickets, seats_offered=seats)

    assert row.csv_values()[6:9] == [fraction, percent, seats]
    assert row.occupancy_display == f"{percent}%"
