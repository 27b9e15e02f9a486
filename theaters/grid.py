"""A room's seats as the grid people see: rows from the screen, seats by column, gaps kept.

The admin's room page and the box office's seat map both draw this shape.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby
from typing import NamedTuple


class SeatCell(NamedTuple):
    pk: int
    row: str
    number: int


def grid_rows(seats: Iterable[SeatCell]) -> tuple[int, list[tuple[str, list[SeatCell | None]]]]:
    """(columns, rows) for `seats` in row order: each row is its letter and one cell per
    column, None where the row has no seat of that number (a gap, or a short row)."""
    seats = list(seats)
    columns = max((seat.number for seat in seats), default=0)
    rows = []
    for row, in_row in groupby(seats, key=lambda seat: seat.row):
        by_number = {seat.number: seat for seat in in_row}
        rows.append((row, [by_number.get(n) for n in range(1, columns + 1)]))
    return columns, rows
