"""Insights by ticket type (docs/api.md "Reports"), against a week worked by hand."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from rest_framework_simplejwt.tokens import RefreshToken

from bookings import services
from bookings.checkin import checkin_admit
from bookings.models import Booking
from bookings.reports import booking_report, booking_report_totals
from bookings.tests.factories import make_booking
from bookings.tests.report_fixtures import build_week, local, report_week_monday
from movies.tests.factories import MovieFactory
from theaters.services import showtime_update
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = pytest.mark.django_db

D = Decimal


def build_types_week(*, customer, other_customer, staff):
    """Big: 40 seats (5 × 8); Small: 10 seats (2 × 5).

    Mon 10:00 Big offers adult 10, child 6, senior 7 (no student):
      B1 customer: A1 adult 10 + A2 child 6 = 16
      B2 other: B1, B2 senior 7 each = 14
      then adult goes to 11: B5 customer C1 adult 11 (B1's A1 stays at 10)
    Mon 18:00 Small offers adult 8, child 5, student 6 (no senior):
      B3 customer: A1 adult 8, A2 student 6, A3 child 5, then A3 given up = 14
      B4 other: A4 adult 8 + A5 child 5, cancelled (left out)
    Wed 20:00 Big offers adult 10, senior 7: B6 A1 senior, then the showtime is cancelled (left out)
    """
    monday = report_week_monday()
    big = RoomFactory(name="Big", rows=5, seats_per_row=8)
    small = RoomFactory(name="Small", rows=2, seats_per_row=5)
    movie = MovieFactory(title="Alpha")
    morning = ShowtimeFactory(
        movie=movie,
        room=big,
        starts_at=local(monday, 10),
        price=D("10"),
        prices={"child": D("6"), "senior": D("7")},
    )
    evening = ShowtimeFactory(
        movie=movie,
        room=small,
        starts_at=local(monday, 18),
        price=D("8"),
        prices={"child": D("5"), "student": D("6")},
    )
    wednesday = ShowtimeFactory(
        movie=movie,
        room=big,
        starts_at=local(monday + timedelta(days=2), 20),
        price=D("10"),
        prices={"senior": D("7")},
    )
    make_booking(user=customer, showtime=morning, labels=["A1", "A2"], types={"A2": "child"})
    make_booking(
        user=other_customer, showtime=morning, labels=["B1", "B2"], types={"B1": "senior", "B2": "senior"}
    )
    showtime_update(showtime=morning, price=D("11"))
    make_booking(user=customer, showtime=morning, labels=["C1"])
    changed = make_booking(
        user=customer, showtime=evening, labels=["A1", "A2", "A3"], types={"A2": "student", "A3": "child"}
    )
    seats = {seat.label: seat.pk for seat in small.seats.all()}
    services.booking_change_seats(booking=changed, seat_ids=[seats["A1"], seats["A2"]], by=customer)
    dropped = make_booking(user=other_customer, showtime=evening, labels=["A4", "A5"], types={"A5": "child"})
    services.booking_cancel(booking=dropped, by=other_customer)
    make_booking(user=other_customer, showtime=wednesday, labels=["A1"], types={"A1": "senior"})
    services.showtime_cancel(showtime=wednesday, by=staff)
    return monday, monday + timedelta(days=6)


# key: (label, sessions, bookings, tickets, revenue, seats offered, occupancy), worked by hand:
# adult: B1 A1 10 + B3 A1 8 + B5 C1 11 = 3 tickets, 29.00, in 3 bookings; offered by both
#   sessions (50 seats): 3 ÷ 50 = 0.06.
# child: B1 A2 6 (B3's A3 was given up, B4 cancelled) = 1 ticket, 6.00; both sessions: 1 ÷ 50 = 0.02.
# senior: B2 B1 + B2 at 7 = 2 tickets, 14.00, 1 booking; Monday morning only (40): 2 ÷ 40 = 0.05.
# student: B3 A2 6 = 1 ticket, 6.00; Monday evening only (10): 1 ÷ 10 = 0.1.
# The revenue adds up to the bookings' totals: 16 + 14 + 11 + 14 = 55.00.
EXPECTED = {
    "adult": ("Adult", 2, 3, 3, "29.00", 50, 0.06),
    "child": ("Child", 2, 1, 1, "6.00", 50, 0.02),
    "senior": ("Senior", 1, 1, 2, "14.00", 40, 0.05),
    "student": ("Student", 1, 1, 1, "6.00", 10, 0.1),
}


@pytest.fixture
def week(customer, other_customer, staff):
    return build_types_week(customer=customer, other_customer=other_customer, staff=staff)


def numbers(row) -> tuple:
    return (
        row.label,
        row.sessions,
        row.bookings,
        row.tickets,
        f"{row.revenue:.2f}",
        row.seats_offered,
        row.occupancy,
    )


def test_it_reports_bookings_tickets_and_revenue_per_ticket_type(week):
    date_from, date_to = week

    rows = booking_report(group_by="ticket_type", date_from=date_from, date_to=date_to)

    assert {row.key: numbers(row) for row in rows} == EXPECTED
    assert [row.key for row in rows] == ["adult", "child", "senior", "student"]  # ticket type order
    total = booking_report_totals(date_from=date_from, date_to=date_to)
    assert sum(row.revenue for row in rows) == total.revenue == D("55.00")
    assert sum(row.tickets for row in rows) == total.tickets == 7


def test_it_computes_the_report_in_one_query(week, django_assert_num_queries):
    date_from, date_to = week
    # 1: the ticket types, each with its tickets', bookings', revenue's and offers' subqueries
    with django_assert_num_queries(1):
        booking_report(group_by="ticket_type", date_from=date_from, date_to=date_to)


def test_an_all_adult_week_puts_everything_on_adult_and_zeroes_the_others(customer, other_customer, staff):
    week = build_week(customer=customer, other_customer=other_customer, staff=staff)

    rows = booking_report(group_by="ticket_type", date_from=week.monday, date_to=week.sunday)

    # The same week as the other reports' (bookings/tests/report_fixtures.py): 4 sessions, 128.00.
    assert numbers(rows[0]) == ("Adult", 4, 4, 12, "128.00", 100, 0.12)
    assert [numbers(row)[1:] for row in rows[1:]] == [(0, 0, 0, "0.00", 0, 0.0)] * 3


def test_checked_in_tickets_and_no_shows_count_per_ticket_type(week, staff):
    date_from, date_to = week
    seniors = Booking.objects.distinct().get(tickets__ticket_type__code="senior", status="confirmed")
    with time_machine.travel(seniors.showtime.starts_at, tick=False):
        checkin_admit(booking=seniors, showtime=seniors.showtime, by=staff)

    # After the week every ticket not admitted is a no-show: adult 3, child 1, student 1.
    with time_machine.travel(local(date_to, 23, 59) + timedelta(days=1)):
        rows = {
            row.key: row
            for row in booking_report(group_by="ticket_type", date_from=date_from, date_to=date_to)
        }

    assert {key: (row.checked_in, row.no_shows) for key, row in rows.items()} == {
        "adult": (0, 3),
        "child": (0, 1),
        "senior": (2, 0),
        "student": (0, 1),
    }
    assert rows["senior"].attendance == 1.0 and rows["adult"].attendance == 0.0


def test_the_api_groups_by_ticket_type(week, staff, client):
    date_from, date_to = week
    token = RefreshToken.for_user(staff).access_token

    response = client.get(
        "/api/reports/bookings",
        {"group_by": "ticket_type", "from": date_from, "to": date_to},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )

    assert response.status_code == 200
    results = {r["key"]: r for r in response.json()["results"]}
    assert results["senior"] == {
        "key": "senior",
        "label": "Senior",
        "sessions": 1,
        "bookings": 1,
        "tickets": 2,
        "revenue": "14.00",
        "occupancy": 0.05,
        "checked_in": 0,
        "attendance": 0.0,
        "no_shows": 0,
    }


def test_the_dashboard_and_its_csv_group_by_ticket_type(week, client, theater_staff):
    date_from, date_to = week
    client.force_login(theater_staff)
    query = {"group_by": "ticket_type", "from": date_from, "to": date_to}

    page = client.get(reverse("insights:dashboard"), query).content.decode()
    exported = client.get(reverse("insights:export"), query)

    assert "Ticket type" in page and "Student" in page
    lines = list(csv.reader(io.StringIO(exported.content.decode("utf-8"))))
    assert lines[1][:7] == ["adult", "Adult", "2", "3", "3", "29.00", "0.0600"]
    assert lines[4][:7] == ["student", "Student", "1", "1", "1", "6.00", "0.1000"]


def test_the_command_groups_by_ticket_type(week):
    date_from, date_to = week
    out = io.StringIO()

    call_command(
        "booking_report",
        "--group-by",
        "ticket_type",
        "--from",
        str(date_from),
        "--to",
        str(date_to),
        stdout=out,
    )

    assert "Bookings by ticket type" in out.getvalue()
    senior = next(
        line for line in out.getvalue().splitlines() if line.startswith("Senior") or " Senior " in line
    )
    assert "14.00" in senior
