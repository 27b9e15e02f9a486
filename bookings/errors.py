"""The box office's domain error (cinema/errors.py), apart so that every module of
bookings can raise it (the services re-export it)."""

from __future__ import annotations

from typing import Any

from bookings.seating import Place
from cinema.errors import DomainError
from theaters.models import Seat


class BookingError(DomainError):
    """A refused booking write; `seats` are the ones at fault (taken), if any."""

    conflicts = frozenset(
        {
            "seats_unavailable",
            "booking_cancelled",
            "hold_expired",
            "hold_renewal_limit",
            "not_enough_seats",
            "seats_available",
            "already_waiting",
        }
    )

    def __init__(
        self,
        code: str,
        message: str,
        *,
        seats: list[Seat] | None = None,
        suggested: list[Place] | None = None,
        conflict: bool | None = None,
        field: str | None = None,
    ):
        super().__init__(code, message, conflict=conflict, field=field)
        self.seats = seats or []
        self.suggested = suggested or []

    def context(self) -> dict[str, Any]:
        context: dict[str, Any] = {"seats": [seat.pk for seat in self.seats]} if self.seats else {}
        if self.suggested:
            context["suggested"] = [place.pk for place in self.suggested]
        return context
