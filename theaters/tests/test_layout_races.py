"""Redrawing a room while its seats sell, on PostgreSQL with real parallel connections."""

from __future__ import annotations

import pytest

from bookings.models import Ticket
from bookings.services import BookingError, booking_create
from cinema.tests.races import race
from theaters.layout import layout_lines
from theaters.services import ScheduleError, room_change_layout
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("attempt", range(5))
def test_a_seat_is_either_sold_or_removed_never_both(customer, attempt):
    showtime = ShowtimeFactory(room=RoomFactory(layout=["SSSS"]))
    last = showtime.room.seats.get(column=4)

    booked, redrawn = race(
        [
            lambda: booking_create(user=customer, showtime=showtime, seat_ids=[last.pk]),
            lambda: room_change_layout(room=showtime.room, layout=["SSS"]),
        ]
    )

    layout = layout_lines(
        showtime.room.seats.order_by("row", "column").values_list("row", "column", "kind", "blocked")
    )
    if isinstance(redrawn, ScheduleError):
        # The booking came first: the seat stays, with its ticket.
        assert redrawn.code == "seat_has_tickets"
        assert Ticket.objects.get().seat_id == last.pk and layout == ["SSSS"]
    else:
        # The redraw came first: the booking found no such seat, and sold nothing.
        assert isinstance(booked, BookingError) and booked.code == "seat_not_in_room"
        assert not Ticket.objects.exists() and layout == ["SSS"]
