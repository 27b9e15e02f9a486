"""What a showtime offers (its ticket types at their prices) and the pricing of a
set of tickets: the one place the checkout page, the change-seats preview, the
API and the booking services price tickets, so they cannot disagree."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bookings.errors import BookingError
from pricing.models import ADULT, TicketType
from theaters.models import Seat, Showtime, ShowtimePrice


def with_price_list() -> Prefetch:
    """For `Showtime` querysets: each showtime's prices with their ticket types, in
    one more query for the whole list (`offer_for` and the admin's form read them)."""
    return Prefetch("prices", queryset=ShowtimePrice.objects.select_related("ticket_type"))


def lowest_price() -> Subquery:
    """For `Showtime.objects.annotate(lowest_price=lowest_price())`: its cheapest ticket
    type's price ("from €X"), a correlated subquery (no join to multiply other counts)."""
    cheapest = ShowtimePrice.objects.filter(showtime=OuterRef("pk")).order_by("price").values("price")[:1]
    return Subquery(cheapest)


def from_price(showtimes: Iterable[Showtime]) -> Decimal | None:
    """The lowest of the showtimes' `lowest_price` annotations: a movie's "from €X"."""
    return min((s.lowest_price for s in showtimes if s.lowest_price is not None), default=None)


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
                    _("This showtime sells no “%(code)s” tickets: choose another ticket type.")
                    % {"code": code},
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
                ngettext(
                    "Choose a ticket type for your %(seats)s seat (%(chosen)s chosen).",
                    "Choose a ticket type for each of your %(seats)s seats (%(chosen)s chosen).",
                    len(seats),
                )
                % {"seats": len(seats), "chosen": len(codes)},
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


@dataclass(frozen=True)
class ChangeQuote:
    """What a change of seats would cost: kept seats at their price, new ones adult now."""

    lines: tuple[tuple[str, str, Decimal, bool], ...]  # seat label, type name, price, kept
    current_total: Decimal

    @property
    def new_total(self) -> Decimal:
        return total_of(price for _label, _name, price, _kept in self.lines)

    @property
    def difference(self) -> Decimal:
        return self.new_total - self.current_total


def price_change(
    offer: Offer,
    held: Mapping[int, Any],
    seats: Sequence[Seat],
    ticket_types: Mapping[int, str] | None = None,
) -> tuple[list, list[PricedTicket]]:
    """A change of seats priced as it is sold: the `held` tickets (by seat id) whose seat
    stays are kept, with their type and price; the other seats are new at this offer,
    of the types named (adult otherwise). Refuses `adult_required` for the result."""
    wanted = {seat.pk for seat in seats}
    kept = [ticket for seat_id, ticket in held.items() if seat_id in wanted]
    new = offer.price([seat for seat in seats if seat.pk not in held], ticket_types)
    check_adult_present([*(t.ticket_type for t in kept), *(t.ticket_type for t in new)])
    return kept, new


def quote_change(offer: Offer, held: Sequence, seats: Sequence[Seat], current_total: Decimal) -> ChangeQuote:
    """The change-seats page's preview of booking_change_seats: its prices, and its refusal."""
    kept, new = price_change(offer, {ticket.seat_id: ticket for ticket in held}, seats)
    by_seat = {t.seat_id: (t, True) for t in kept} | {t.seat.pk: (t, False) for t in new}
    lines = []
    for seat in seats:
        ticket, is_kept = by_seat[seat.pk]
        lines.append((seat.label, ticket.ticket_type.name, ticket.price, is_kept))
    return ChangeQuote(lines=tuple(lines), current_total=current_total)


def check_adult_present(ticket_types: Iterable[TicketType]) -> None:
    """A booking needs at least one ticket of a type that needs no adult."""
    ticket_types = list(ticket_types)
    if ticket_types and all(t.requires_adult for t in ticket_types):
        names = sorted({t.name for t in ticket_types})
        raise BookingError(
            "adult_required",
            _("%(types)s tickets are sold only with an adult ticket in the same booking.")
            % {"types": _(" and ").join(names)},
        )


def total_of(prices: Iterable[Decimal]) -> Decimal:
    return sum(prices, Decimal("0"))
