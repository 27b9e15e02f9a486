"""Money as API.md writes it: a decimal with two places."""

from __future__ import annotations

from decimal import Decimal

CENT = Decimal("0.01")


def money_text(amount: Decimal) -> str:
    """`Decimal("12.5")` -> `"12.50"`."""
    return str(amount.quantize(CENT))
