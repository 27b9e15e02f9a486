from __future__ import annotations

from decimal import Decimal

from pricing.models import ALL_WEEKDAYS, PriceCard, PriceCardPrice, TicketType

# What migration pricing/0002 creates; transactional tests flush it away, so
# factories put it back where it is missing.
STANDARD_TYPES = {
    "adult": ("Adult", 10, False, Decimal("9.50")),
    "child": ("Child", 20, True, Decimal("6.50")),
    "senior": ("Senior", 30, False, Decimal("7.00")),
    "student": ("Student", 40, False, Decimal("7.50")),
}


def standard_ticket_types() -> dict[str, TicketType]:
    """The four standard ticket types by code (and the Standard card), made if missing."""
    types = {t.code: t for t in TicketType.objects.filter(code__in=STANDARD_TYPES)}
    if len(types) == len(STANDARD_TYPES):
        return types
    card, _ = PriceCard.objects.get_or_create(name="Standard", defaults={"weekdays": ALL_WEEKDAYS})
    for code, (name, order, requires_adult, price) in STANDARD_TYPES.items():
        types[code], _ = TicketType.objects.get_or_create(
            code=code, defaults={"name": name, "order": order, "requires_adult": requires_adult}
        )
        PriceCardPrice.objects.get_or_create(card=card, ticket_type=types[code], defaults={"price": price})
    return types


def price_card(name: str, *, prices: dict[str, str], **fields) -> PriceCard:
    """A card with prices by ticket type code: `price_card("Matinee", prices={"adult": "7"})`."""
    types = standard_ticket_types() | {t.code: t for t in TicketType.objects.exclude(code__in=STANDARD_TYPES)}
    card = PriceCard.objects.create(name=name, **fields)
    PriceCardPrice.objects.bulk_create(
        PriceCardPrice(card=card, ticket_type=types[code], price=Decimal(price))
        for code, price in prices.items()
    )
    return card
