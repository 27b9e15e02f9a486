"""Races on PostgreSQL with real threads, each on its own database connection."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from bookings.models import Booking, Ticket
from bookings.services import BookingError, booking_create
from cinema.tests.races import race
from movies.tests.factories import MovieFactory
from theaters.models import Showtime
from theaters.services import ScheduleError, showtime_schedule
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CLIENTS = 30


def outcome(result: object) -> str:
    if isinstance(result, Booking):
        return "booked"
    if isinstance(result, BookingError):
        return result.code
    return repr(result)


def test_of_30_bookings_of_one_seat_exactly_one_wins():
    showtime = ShowtimeFactory(room=RoomFactory(rows=10, seats_per_row=10))
    seat = showtime.room.seats.get(row="E", number=5)
    users = [UserFactory() for _ in range(CLIENTS)]

    results = race([lambda u=u: booking_create(user=u, showtime=showtime, seat_ids=[seat.pk]) for u in users])

    assert Counter(map(outcome, results)) == {"booked": 1, "seats_unavailable": CLIENTS - 1}
    assert Ticket.objects.filter(showtime=showtime, seat=seat, active=True).count() == 1


def test_30_bookings_of_distinct_seats_all_succeed():
    showtime = ShowtimeFactory(room=RoomFactory(rows=10, seats_per_row=10))
    seats = list(showtime.room.seats.all()[:CLIENTS])
    users = [UserFactory() for _ in range(CLIENTS)]

    results = race(
        [
            lambda u=u, s=s: booking_create(user=u, showtime=showtime, seat_ids=[s.pk])
            for u, s in zip(users, seats, strict=True)
        ]
    )

    assert Counter(map(outcome, results)) == {"booked": CLIENTS}
    assert Ticket.objects.filter(showtime=showtime, active=True).count() == CLIENTS


def test_two_showtimes_scheduled_into_one_slot_in_parallel_one_fails():
    room = RoomFactory()
    movies = [MovieFactory(), MovieFactory()]
    starts_at = timezone.now() + timedelta(days=2)

    results = race(
        [
            lambda m=m: showtime_schedule(movie=m, room=room, starts_at=starts_at, price=Decimal("10"))
            for m in movies
        ]
    )

    kinds = Counter("scheduled" if isinstance(r, Showtime) else getattr(r, "code", repr(r)) for r in results)
    assert kinds == {"scheduled": 1, "showtime_overlap": 1}
    assert all(isinstance(r, Showtime | ScheduleError) for r in results)
    assert Showtime.objects.filter(room=room).count() == 1
