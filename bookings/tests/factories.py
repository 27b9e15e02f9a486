from __future__ import annotations

from bookings import services
from bookings.models import Booking
from theaters.models import Showtime


def make_booking(
    *, user, showtime: Showtime, labels: list[str], types: dict[str, str] | None = None
) -> Booking:
    """Book seats by label ("A1", "A2") through the real service; `types` names the
    ticket type of some by label ({"A2": "child"}), the others are adult."""
    seats = {seat.label: seat.pk for seat in showtime.room.seats.all()}
    return services.booking_create(
        user=user,
        showtime=showtime,
        seat_ids=[seats[label] for label in labels],
        ticket_types={seats[label]: code for label, code in (types or {}).items()},
    )
