"""The seat map's grid as HTML: a checkbox per seat, named "Seat C5" (or "Seat C5 (taken)",
"Seat A4 (wheelchair space)", "Seat A5 (companion seat)", "Seat B2 (not for sale)").

Rendering 300 seats through a template loop costs milliseconds; string building
costs a tenth of that, and the seat map is the hottest page (DESIGN.md
"Performance budgets"). Ids and numbers are ints and the row letter (A-Z by a
check constraint) is escaped anyway, once per row. The names are in the active
language, looked up once per grid: its callers cache a grid per language.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from theaters.grid import SeatCell

GAP = '<span class="seat-gap"></span>'


@dataclass(frozen=True)
class _Names:
    """The accessible names' words, translated: "Seat C5", what a seat's kind and state add."""

    seat: str
    row: str
    kinds: dict[str, str]
    blocked: str
    taken: str

    @classmethod
    def active(cls) -> _Names:
        return cls(
            seat=escape(gettext("Seat %(label)s")),
            row=escape(gettext("Row %(row)s")),
            kinds={
                "wheelchair": escape(gettext(" (wheelchair space)")),
                "companion": escape(gettext(" (companion seat)")),
            },
            blocked=escape(gettext(" (not for sale)")),
            taken=escape(gettext(" (taken)")),
        )


def _seat_html(seat: SeatCell, names: _Names, *, unavailable: bool, checked: bool) -> str:
    name = (names.seat % {"label": f"{seat.row}{seat.number}"}) + names.kinds.get(seat.kind, "")
    if seat.blocked:
        state = f'aria-label="{name}{names.blocked}" disabled'
    elif unavailable:
        state = f'aria-label="{name}{names.taken}" disabled'
    else:
        state = f'aria-label="{name}"' + (" checked" if checked else "")
    return (
        f'<span class="seat seat-{seat.kind}{" seat-blocked" if seat.blocked else ""}">'
        f'<input class="seat-input" type="checkbox" name="seats" value="{seat.pk}" {state}>'
        f'<span class="seat-number" aria-hidden="true">{seat.number}</span></span>'
    )


def seat_grid_html(
    rows: list[tuple[str, list[SeatCell | None]]],
    *,
    unavailable_ids: frozenset[int],
    checked_ids: frozenset[int],
) -> SafeString:
    """The rows of `theaters.grid.grid_rows`, each a labelled group of seats and gaps."""
    names = _Names.active()
    parts = []
    for row, cells in rows:
        letter = escape(row)
        seats = "".join(
            GAP
            if seat is None
            else _seat_html(
                seat, names, unavailable=seat.pk in unavailable_ids, checked=seat.pk in checked_ids
            )
            for seat in cells
        )
        parts.append(
            f'<div class="seat-row" role="group" aria-label="{names.row % {"row": letter}}">'
            f'<span class="row-label" aria-hidden="true">{letter}</span>{seats}'
            f'<span class="row-label" aria-hidden="true">{letter}</span></div>'
        )
    return mark_safe("".join(parts))  # built from ints, escaped names of ours and escaped letters only
