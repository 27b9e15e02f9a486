"""A known week of showtimes and bookings for the report tests.

Everything lies in a week 8 to 14 days ahead, so the bookings are made by the
real service (it refuses started showtimes) and no clock is faked. The
expected numbers are written out in EXPECTED_* below, worked by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from bookings import services
from bookings.tests.factories import make_booking
from movies.tests.factories import MovieFactory
from theaters.models import Showtime
from theaters.tests.factories import RoomFactory, ShowtimeFactory


@dataclass(frozen=True)
class Week:
    monday: date
    sunday: date
    alpha_id: int
    bravo_id: int


def report_week_monday() -> date:
    """The Monday of the week after next, in the theater's time zone."""
    today = timezone.localdate(timezone=ZoneInfo(settings.TIME_ZONE))
    return today + timedelta(days=14 - today.weekday())


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(settings.TIME_ZONE))


def showtime(movie, room, starts_at: datetime, price: str) -> Showtime:
    return ShowtimeFactory(movie=movie, room=room, starts_at=starts_at, price=Decimal(price))


def build_week(*, customer, other_customer, staff) -> Week:
    """Big room: 40 seats (5 × 8); small room: 10 seats (2 × 5).

    Mon 10:00 Alpha, big, 10.00: customer A1 A2; other's A3 is cancelled.
    Mon 18:00 Alpha, small, 8.00: customer books A1–A5, then keeps A1–A3.
    Wed 13:00 Bravo, small, 9.00: customer A1.
    Wed 21:30 Bravo, big, 12.50: other_customer B1–B6.
    Fri 20:00 Bravo, big: booked, then the session is cancelled (left out).
    Next Mon 10:00 Alpha, small: booked, but outside the week.
    """
    monday = report_week_monday()
    big = RoomFactory(name="Big", rows=5, seats_per_row=8)
    small = RoomFactory(name="Small", rows=2, seats_per_row=5)
    alpha = MovieFactory(title="Alpha")
    bravo = MovieFactory(title="Bravo")
    wednesday, friday = monday + timedelta(days=2), monday + timedelta(days=4)

    mon_morning = showtime(alpha, big, local(monday, 10), "10.00")
    make_booking(user=customer, showtime=mon_morning, labels=["A1", "A2"])
    cancelled = make_booking(user=other_customer, showtime=mon_morning, labels=["A3"])
    services.booking_cancel(booking=cancelled, by=other_customer)

    mon_evening = showtime(alpha, small, local(monday, 18), "8.00")
    changed = make_booking(user=customer, showtime=mon_evening, labels=["A1", "A2", "A3", "A4", "A5"])
    seats = {seat.label: seat.pk for seat in small.seats.all()}
    services.booking_change_seats(
        booking=changed, seat_ids=[seats[s] for s in ("A1", "A2", "A3")], by=customer
    )

    wed_afternoon = showtime(bravo, small, local(wednesday, 13), "9.00")
    make_booking(user=customer, showtime=wed_afternoon, labels=["A1"])

    wed_late = showtime(bravo, big, local(wednesday, 21, 30), "12.50")
    make_booking(user=other_customer, showtime=wed_late, labels=["B1", "B2", "B3", "B4", "B5", "B6"])

    fri_cancelled = showtime(bravo, big, local(friday, 20), "12.50")
    make_booking(user=customer, showtime=fri_cancelled, labels=["E1", "E2"])
    services.showtime_cancel(showtime=fri_cancelled, by=staff)

    next_monday = showtime(alpha, small, local(monday + timedelta(days=7), 10), "8.00")
    make_booking(user=customer, showtime=next_monday, labels=["B1"])

    return Week(monday=monday, sunday=monday + timedelta(days=6), alpha_id=alpha.pk, bravo_id=bravo.pk)


ZERO = (0, 0, 0, "0.00", 0, 0.0)
# key: (sessions, bookings, tickets, revenue, seats offered, occupancy)
EXPECTED_WEEKDAY = {
    "monday": (2, 2, 5, "44.00", 50, 0.1),
    "tuesday": ZERO,
    "wednesday": (2, 2, 7, "84.00", 50, 0.14),
    "thursday": ZERO,
    "friday": ZERO,
    "saturday": ZERO,
    "sunday": ZERO,
}
EXPECTED_TIME_SLOT = {
    "morning": (1, 1, 2, "20.00", 40, 0.05),
    "afternoon": (1, 1, 1, "9.00", 10, 0.1),
    "evening": (1, 1, 3, "24.00", 10, 0.3),
    "late": (1, 1, 6, "75.00", 40, 0.15),
}
EXPECTED_MOVIE = {
    "Alpha": (2, 2, 5, "44.00", 50, 0.1),
    "Bravo": (2, 2, 7, "84.00", 50, 0.14),
}
EXPECTED_TOTAL = (4, 4, 12, "128.00", 100, 0.12)
