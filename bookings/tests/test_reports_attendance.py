"""Who came: checked-in tickets, attendance and no-shows in every report."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from bookings.checkin import checkin_admit, checkin_undo
from bookings.reports import booking_report, booking_report_totals
from bookings.tests.factories import make_booking
from movies.tests.factories import MovieFactory
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def evening(customer, other_customer, staff):
    """Yesterday's showtime (ended): 3 of its 4 tickets admitted; tomorrow's: nobody yet."""
    now = timezone.now()
    movie = MovieFactory(title="Solaris", runtime_minutes=90)
    room = RoomFactory(rows=4, seats_per_row=10)
    with time_machine.travel(now - timedelta(days=3), tick=False):
        past = ShowtimeFactory(movie=movie, room=room, starts_at=now - timedelta(days=1))
        came = make_booking(user=customer, showtime=past, labels=["A1", "A2", "A3"])
        make_booking(user=other_customer, showtime=past, labels=["B1"])  # never came
        undone = make_booking(user=other_customer, showtime=past, labels=["C1"])
    with time_machine.travel(past.starts_at, tick=False):
        checkin_admit(booking=came, showtime=past, by=staff)
        # Admitted by mistake and undone: it does not count.
        checkin_admit(booking=undone, showtime=past, by=staff)
        checkin_undo(booking=undone, by=staff)
    ahead = ShowtimeFactory(movie=movie, room=room, starts_at=now + timedelta(days=1))
    make_booking(user=customer, showtime=ahead, labels=["A1", "A2"])
    return past, ahead


def test_it_counts_the_tickets_admitted_and_the_no_shows_of_ended_showtimes(evening):
    past, ahead = evening
    days = {"date_from": past.starts_at.date(), "date_to": ahead.starts_at.date()}

    [row] = booking_report(group_by="movie", **days)
    totals = booking_report_totals(**days)

    assert (row.tickets, row.checked_in, row.no_shows) == (7, 3, 2)  # B1 and C1; tomorrow's are not no-shows
    assert row.attendance == round(3 / 7, 4)
    assert (totals.checked_in, totals.no_shows, totals.attendance) == (3, 2, row.attendance)
    assert row.csv_values()[-3:] == [3, "0.4286", 2]


def test_the_api_and_the_dashboard_show_attendance(evening, staff, client):
    past, ahead = evening
    query = {"group_by": "movie", "from": str(past.starts_at.date()), "to": str(ahead.starts_at.date())}
    client.force_login(staff)

    api = client.get("/api/reports/bookings", query).json()["results"][0]
    html = client.get("/admin/insights/", query).content.decode()

    assert (api["checked_in"], api["attendance"], api["no_shows"]) == (3, 0.4286, 2)
    assert "<dt>Attendance</dt><dd>42.9%</dd>" in html
    assert "<dt>No-shows</dt><dd>2</dd>" in html
