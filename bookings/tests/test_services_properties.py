"""Property-based: whatever sequence of bookings, changes and cancels, and
whatever seat ids they name, the services either succeed or refuse with a
known code, the seats held never overlap, and the seat map cached by the
showtime's seats_version and the sales kept for the insights always equal
the tickets in the database."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.tests.factories import UserFactory
from bookings.models import Booking, Ticket
from bookings.sales import sales_drift
from bookings.selectors import seat_states
from bookings.services import BookingError, booking_cancel, booking_change_seats, booking_create
from theaters.models import Showtime
from theaters.tests.factories import RoomFactory, ShowtimeFactory

KNOWN_CODES = {
    "no_seats",
    "too_many_seats",
    "duplicate_seats",
    "seat_not_in_room",
    "seats_unavailable",
    "booking_cancelled",
}
# Seat ids are drawn around the room's own (offsets 0..15) and far outside it.
seat_offsets = st.lists(st.one_of(st.integers(0, 15), st.integers(-(2**70), 2**70)), max_size=12)
operations = st.lists(
    st.tuples(st.sampled_from(["book", "change", "cancel"]), st.integers(0, 2), seat_offsets),
    min_size=1,
    max_size=12,
)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=operations)
def test_any_sequence_keeps_every_seat_sold_at_most_once(steps):
    showtime = ShowtimeFactory(room=RoomFactory(rows=2, seats_per_row=8), price=Decimal("7.25"))
    first_seat = showtime.room.seats.order_by("pk").first().pk
    users = [UserFactory() for _ in range(3)]
    bookings: list[Booking] = []

    for action, who, offsets in steps:
        seat_ids = [first_seat + offset for offset in offsets]
        try:
            if action == "book":
                bookings.append(booking_create(user=users[who], showtime=showtime, seat_ids=seat_ids))
            elif bookings:
                booking = bookings[who % len(bookings)]
                if action == "change":
                    booking_change_seats(booking=booking, seat_ids=seat_ids, by=booking.user)
                else:
                    booking_cancel(booking=booking, by=booking.user)
        except BookingError as error:
            assert error.code in KNOWN_CODES
        # What a page or the API would show now: read with the showtime, as they do.
        cached = seat_states(Showtime.objects.get(pk=showtime.pk))
        truth = set(Ticket.objects.filter(showtime=showtime, active=True).values_list("seat_id", flat=True))
        assert cached.taken_ids == truth
        assert sales_drift() == []  # the insights' figures, as a recount gives them

    active = Ticket.objects.filter(showtime=showtime, active=True)
    assert not [seat for seat, n in Counter(active.values_list("seat_id", flat=True)).items() if n > 1]
    for booking in Booking.objects.filter(showtime=showtime).with_details():
        held = booking.held_tickets()
        assert booking.total_price == Decimal("7.25") * len(held)
        assert 1 <= len(held) <= 10
