"""A room's seats as the grid people see: rows from the screen, seats by column, gaps kept.

The admin's room page and the box office's seat map both draw this shape.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby
from typing import NamedTuple

# The columns a seat's grid reads, in SeatCell's order.
SEAT_CELL_FIELDS = ("pk", "row", "number", "column", "kind", "blocked")


class SeatCell(NamedTuple):
    pk: int
    row: str
    number: int
    column: int
    kind: str
    blocked: bool

    @property
    def label(self) -> str:
        return f"{self.row}{self.number}"


def grid_rows(seats: Iterable[SeatCell]) -> tuple[int, list[tuple[str, list[SeatCell | None]]]]:
    """(columns, rows) for `seats` in row order: each row is its letter and one cell per
    column, None where the row has no seat in that column (a gap, or a short row)."""
    seats = list(seats)
    columns = max((seat.column for seat in seats), default=0)
    rows = []
    for row, in_row in groupby(seats, key=lambda seat: seat.row):
        by_column = {seat.column: seat for seat in in_row}
        rows.append((row, [by_column.get(c) for c in range(1, columns + 1)]))
    return columns, rows
