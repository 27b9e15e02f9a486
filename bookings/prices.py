"""What a showtime offers (its ticket types at their prices) and the pricing of a
set of tickets: the one place the checkout page, the change-seats preview, the
API and the booking services price tickets, so they cannot disagree."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from bookings.errors import BookingError
from pricing.models import ADULT, TicketType
from theaters.models import Seat, Showtime, ShowtimePrice


def with_price_list() -> Prefetch:
    """For `Showtime` querysets: each showtime's prices with their ticket types, in
    one more query for the whole list (`offer_for` and the admin's form read them)."""
    return Prefetch("prices", queryset=ShowtimePrice.objects.select_related("ticket_type"))


@dataclass(frozen=True)
class PricedTicket:
    seat: Seat
    ticket_type: TicketType
    price: Decimal


@dataclass(frozen=True)
class Offer:
    """A showtime's prices, ordered as the ticket types are."""

    lines: tuple[ShowtimePrice, ...]

    @property
    def by_code(self) -> dict[str, ShowtimePrice]:
        return {line.ticket_type.code: line for line in self.lines}

    @property
    def lowest(self) -> Decimal | None:
        """What "from €X" shows."""
        return min((line.price for line in self.lines), default=None)

    def price(
        self, seats: Sequence[Seat], ticket_types: Mapping[int, str] | None = None
    ) -> list[PricedTicket]:
        """Price `seats`, each of the type `ticket_types` names by seat id (adult when
        unnamed), at this offer's prices. Refuses a type not offered."""
        offered = self.by_code
        ticket_types = ticket_types or {}
        priced = []
        for seat in seats:
            code = ticket_types.get(seat.pk, ADULT)
            line = offered.get(code)
            if line is None:
                raise BookingError(
                    "unknown_ticket_type",
                    f"This showtime sells no “{code}” tickets: choose another ticket type.",
                )
            priced.append(PricedTicket(seat=seat, ticket_type=line.ticket_type, price=line.price))
        return priced

    def assign(self, seats: Sequence[Seat], counts: Mapping[str, int]) -> dict[int, str]:
        """Ticket types by seat id for `counts` of each offered type, given to `seats`
        in seat order, in ticket type order (the checkout page's number inputs)."""
        codes = [
            line.ticket_type.code for line in self.lines for _ in range(counts.get(line.ticket_type.code, 0))
        ]
        if len(codes) != len(seats):
            raise BookingError(
                "ticket_count_mismatch",
                f"Choose a ticket type for each of your {len(seats)} seats ({len(codes)} chosen).",
            )
        return {seat.pk: code for seat, code in zip(seats, codes, strict=True)}


def offer_for(showtime: Showtime) -> Offer:
    """`showtime`'s offer, in ticket type order (ShowtimePrice's ordering): from its
    prefetched prices (`with_price_list`), else in 1 query."""
    if "prices" in getattr(showtime, "_prefetched_objects_cache", {}):
        lines = list(showtime.prices.all())
    else:
        lines = list(ShowtimePrice.objects.filter(showtime_id=showtime.pk).select_related("ticket_type"))
    return Offer(lines=tuple(lines))


def check_adult_present(ticket_types: Iterable[TicketType]) -> None:
    """A booking needs at least one ticket of a type that needs no adult."""
    ticket_types = list(ticket_types)
    if ticket_types and all(t.requires_adult for t in ticket_types):
        names = sorted({t.name for t in ticket_types})
        raise BookingError(
            "adult_required",
            f"{' and '.join(names)} tickets are sold only with an adult ticket in the same booking.",
        )


def total_of(prices: Iterable[Decimal]) -> Decimal:
    return sum(prices, Decimal("0"))
