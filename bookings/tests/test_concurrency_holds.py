"""Hold races on PostgreSQL with real threads, each on its own database connection."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from bookings.models import Booking, Hold, HoldSeat, Ticket
from bookings.services import BookingError, booking_create_from_hold, hold_create
from bookings.tests.test_concurrency import CLIENTS
from cinema.tests.races import race
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def outcome(result: object) -> str:
    if isinstance(result, Hold):
        return "held"
    if isinstance(result, Booking):
        return "booked"
    if isinstance(result, BookingError):
        return result.code
    return repr(result)


def test_of_30_customers_holding_one_seat_exactly_one_holds_it():
    showtime = ShowtimeFactory(room=RoomFactory(rows=10, seats_per_row=10))
    seat = showtime.room.seats.get(row="E", number=5)
    users = [UserFactory() for _ in range(CLIENTS)]

    results = race([lambda u=u: hold_create(user=u, showtime=showtime, seat_ids=[seat.pk]) for u in users])

    assert Counter(map(outcome, results)) == {"held": 1, "seats_unavailable": CLIENTS - 1}
    assert HoldSeat.objects.filter(seat=seat, active=True).count() == 1


def test_a_confirm_racing_new_holds_of_the_same_seats_after_expiry_never_sells_twice(settings):
    settings.HOLD_MINUTES = 10
    showtime = ShowtimeFactory(room=RoomFactory(rows=5, seats_per_row=5))
    seats = [showtime.room.seats.get(row="C", number=n).pk for n in (2, 3)]
    owner = UserFactory()
    hold = hold_create(user=owner, showtime=showtime, seat_ids=seats)
    Hold.objects.filter(pk=hold.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    others = [UserFactory() for _ in range(CLIENTS - 1)]

    results = race(
        [lambda: booking_create_from_hold(hold=hold, by=owner)]
        + [lambda u=u: hold_create(user=u, showtime=showtime, seat_ids=seats) for u in others]
    )

    counts = Counter(map(outcome, results))
    assert outcome(results[0]) == "hold_expired"
    assert counts == {"hold_expired": 1, "held": 1, "seats_unavailable": CLIENTS - 2}
    assert not Ticket.objects.exists()
    assert HoldSeat.objects.filter(active=True).count() == 2


def test_a_hold_confirmed_as_it_expires_is_booked_or_refused_never_both(settings):
    settings.HOLD_MINUTES = 10
    showtime = ShowtimeFactory(room=RoomFactory(rows=5, seats_per_row=5))
    seat = showtime.room.seats.get(row="A", number=1).pk
    owner = UserFactory()
    hold = hold_create(user=owner, showtime=showtime, seat_ids=[seat])
    # Expires while the racers start: the lock decides who saw it active.
    Hold.objects.filter(pk=hold.pk).update(expires_at=timezone.now() + timedelta(milliseconds=50))
    others = [UserFactory() for _ in range(10)]

    results = race(
        [lambda: booking_create_from_hold(hold=hold, by=owner)]
        + [lambda u=u: hold_create(user=u, showtime=showtime, seat_ids=[seat]) for u in others]
    )

    outcomes = list(map(outcome, results))
    assert set(outcomes) <= {"booked", "hold_expired", "held", "seats_unavailable"}, outcomes
    # Exactly one party has the seat: the owner's booking, or one other customer's hold.
    sold = Ticket.objects.filter(seat_id=seat, active=True).count()
    held_by_others = HoldSeat.objects.filter(seat_id=seat, active=True).exclude(hold__user=owner).count()
    assert sold + held_by_others == 1
    assert outcomes.count("booked") == sold and outcomes.count("held") == held_by_others
