"""A room's layout as text, one line per row from the screen: `S` standard seat,
`W` wheelchair space, `C` companion seat, `X` blocked seat, `.` gap (aisle, stairs).

Pure: the admin's room form, the API and `create_room --layout-file` parse with
it, and the admin shows a room's seats back as text with `layout_lines`.
Seats are numbered from the left, gaps unnumbered; a row of gaps only is refused
(rows are lettered one after another, so a cross aisle is drawn as no row at all).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from django.utils.translation import gettext as _

from cinema.errors import DomainError

MAX_ROWS = 26
MAX_CELLS = 50
SEAT_CELLS = {
    "S": ("standard", False),
    "W": ("wheelchair", False),
    "C": ("companion", False),
    "X": ("standard", True),
}
GAP = "."
KIND_CELLS = {"standard": "S", "wheelchair": "W", "companion": "C"}


class LayoutError(DomainError):
    """A layout that cannot be a room."""

    def __init__(self, message: str):
        super().__init__("invalid_layout", message, field="layout")


class LayoutSeat(NamedTuple):
    row: str
    column: int
    number: int
    kind: str
    blocked: bool


def row_letter(index: int) -> str:
    """Rows are lettered from the screen: 0 -> "A"."""
    return chr(ord("A") + index)


def layout_from_text(text: str) -> list[str]:
    """The rows of a textarea: blank lines around it dropped, spaces around each row too."""
    return [line.strip() for line in text.strip().splitlines()]


def rectangle(rows: int, seats_per_row: int) -> list[str]:
    return ["S" * seats_per_row] * rows


def parse_layout(lines: Iterable[str]) -> list[LayoutSeat]:
    """The seats of `lines`, or a LayoutError naming every fault found."""
    lines = list(lines)
    if not 1 <= len(lines) <= MAX_ROWS:
        raise LayoutError(
            _("A room has 1 to %(limit)s rows; this layout has %(count)s.")
            % {"limit": MAX_ROWS, "count": len(lines)}
        )
    faults, seats = [], []
    for index, line in enumerate(lines):
        row = row_letter(index)
        if not line:
            faults.append(_("row %(row)s is empty") % {"row": row})
            continue
        if len(line) > MAX_CELLS:
            faults.append(
                _("row %(row)s has %(count)s cells (at most %(limit)s)")
                % {"row": row, "count": len(line), "limit": MAX_CELLS}
            )
        bad = [
            _("“%(cell)s” (cell %(n)s)") % {"cell": cell, "n": n}
            for n, cell in enumerate(line, 1)
            if cell not in SEAT_CELLS and cell != GAP
        ]
        if bad:
            faults.append(_("row %(row)s has %(cells)s") % {"row": row, "cells": ", ".join(bad)})
            continue
        in_row = [(column, cell) for column, cell in enumerate(line, 1) if cell != GAP]
        if not in_row:
            faults.append(_("row %(row)s has no seats") % {"row": row})
        for number, (column, cell) in enumerate(in_row, 1):
            kind, blocked = SEAT_CELLS[cell]
            seats.append(LayoutSeat(row, column, number, kind, blocked))
    if faults:
        raise LayoutError(
            _(
                "This layout cannot be a room: %(faults)s. Use S (seat), W (wheelchair space), "
                "C (companion seat), X (blocked seat) and . (gap)."
            )
            % {"faults": "; ".join(faults)}
        )
    return seats


def layout_lines(seats: Iterable[tuple[str, int, str, bool]]) -> list[str]:
    """(row, column, kind, blocked) of a room's seats, in row order, as layout text
    (a blocked seat is `X` whatever its kind)."""
    rows: dict[str, dict[int, str]] = {}
    for row, column, kind, blocked in seats:
        rows.setdefault(row, {})[column] = "X" if blocked else KIND_CELLS[kind]
    return ["".join(cells.get(c, GAP) for c in range(1, max(cells) + 1)) for cells in rows.values()]
