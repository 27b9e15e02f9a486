from __future__ import annotations

from bookings import services
from bookings.models import Booking
from theaters.models import Showtime


def seat_ids(showtime: Showtime, *labels: str) -> list[int]:
    """The ids of the showtime's seats with these labels ("A1", "A2"), in that order."""
    by_label = {seat.label: seat.pk for seat in showtime.room.seats.all()}
    return [by_label[label] for label in labels]


def make_booking(
    *, user, showtime: Showtime, labels: list[str], types: dict[str, str] | None = None
) -> Booking:
    """Book seats by label ("A1", "A2") through the real service; `types` names the
    ticket type of some by label ({"A2": "child"}), the others are adult."""
    ids = dict(zip(labels, seat_ids(showtime, *labels), strict=True))
    types = types or {}
    return services.booking_create(
        user=user,
        showtime=showtime,
        seat_ids=list(ids.values()),
        ticket_types={ids[label]: code for label, code in types.items()},
    )
