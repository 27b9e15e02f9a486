"""`{{ amount|money }}`: a price in the theater's currency, as the active language writes it."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.conf import settings

from cinema.money import format_money

register = template.Library()


@register.filter
def money(amount: Decimal | str | None) -> str:
    # A missing variable renders as "" (the template's string_if_invalid), as it would without the filter.
    return "" if amount is None or amount == "" else format_money(Decimal(amount))


@register.filter
def signed_money(amount: Decimal) -> str:
    """A difference: "+€10.00", "−€10.00" (a minus sign), or "€0.00"."""
    sign = "+" if amount > 0 else "\u2212" if amount < 0 else ""
    return sign + format_money(abs(Decimal(amount)))


@register.simple_tag
def currency_code() -> str:
    """The theater's currency, for the page's scripts (`data-currency` on <html>)."""
    return settings.CURRENCY
