"""CSV that spreadsheets open as data, never as formulas (OWASP "CSV Injection").

A leaf module (it imports no app): every CSV the app writes goes through
`write_csv`, so a movie titled `=HYPERLINK(...)` reaches a staff member's
spreadsheet as text, not as a live link or command.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import IO, Any

# What Excel, LibreOffice and Google Sheets take for the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A plain decimal cannot call anything: money and ratios stay numbers.
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def neutralize(value: Any) -> Any:
    """`value`, with a `'` in front if it is text a spreadsheet would run as a formula.

    Non-text values (ints, Decimals) and text that is exactly a decimal number
    (`"-12.50"`) are left as they are, so numeric columns stay numeric.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def write_csv(out: IO[str], header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> None:
    writer = csv.writer(out)
    writer.writerow(map(neutralize, header))
    writer.writerows(map(neutralize, row) for row in rows)
