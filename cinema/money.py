"""Money as API.md writes it (a decimal with two places) and as people read it:
in the theater's `CURRENCY`, written the way the active language writes it."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.utils import translation
from django.utils.formats import number_format

CENT = Decimal("0.01")
NO_BREAK_SPACE = "\u00a0"
SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "BRL": "R$", "JPY": "¥", "INR": "₹"}
# Languages that write the symbol first, as "€13.50"; the others write "13,50 €".
SYMBOL_FIRST = ("en",)


def money_text(amount: Decimal) -> str:
    """`Decimal("12.5")` -> `"12.50"`."""
    return str(amount.quantize(CENT))


def format_money(amount: Decimal, currency: str | None = None) -> str:
    """`Decimal("13.5")` -> "€13.50" in English, "13,50 €" in Portuguese (the active language)."""
    number = number_format(amount.quantize(CENT), decimal_pos=2, use_l10n=True, force_grouping=True)
    code = currency or settings.CURRENCY
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if language not in SYMBOL_FIRST:
        return f"{number}{NO_BREAK_SPACE}{SYMBOLS.get(code, code)}"
    # A code without a symbol ("CHF") reads as a word: a space after it.
    return f"{SYMBOLS[code]}{number}" if code in SYMBOLS else f"{code}{NO_BREAK_SPACE}{number}"
