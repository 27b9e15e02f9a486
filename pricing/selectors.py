"""Reads of the price list: the card that prices a start, the types on sale."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from pricing.models import PriceCard, PriceCardPrice, TicketType


def active_ticket_types() -> QuerySet[TicketType]:
    return TicketType.objects.active().order_by("order", "pk")


def price_cards() -> list[PriceCard]:
    """Every card, highest priority first (ties: the card created first), with its
    prices of active types; 2 queries. Pass it as `cards=` to price many starts."""
    return list(
        PriceCard.objects.order_by("-priority", "pk").prefetch_related(
            Prefetch(
                "prices",
                queryset=PriceCardPrice.objects.filter(ticket_type__active=True).select_related(
                    "ticket_type"
                ),
            )
        )
    )


def price_card_for(starts_at: datetime, *, cards: Sequence[PriceCard] | None = None) -> PriceCard | None:
    """The highest-priority card covering `starts_at` read in the theater's time zone,
    from `cards` (`price_cards()`), else read now; 2 queries.

    Cards are few, so they are matched here rather than in SQL, which keeps the
    weekday list a plain JSON list on every database.
    """
    local = timezone.localtime(starts_at, timezone.get_default_timezone())
    weekday, at = local.isoweekday(), local.time().replace(tzinfo=None)
    return next(
        (card for card in (price_cards() if cards is None else cards) if card.covers(weekday, at)), None
    )


def card_prices_for(
    starts_at: datetime, *, cards: Sequence[PriceCard] | None = None
) -> dict[TicketType, Decimal]:
    """The prices the covering card gives a showtime starting at `starts_at` (maybe none)."""
    card = price_card_for(starts_at, cards=cards)
    return {} if card is None else {line.ticket_type: line.price for line in card.prices.all()}
