"""Reads behind the moviegoers' pages: the seat map, what's on and my bookings.

Each runs a constant number of queries whatever the room size or the number
of showtimes and bookings (DESIGN.md "Performance budgets").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from bookings.models import Booking, Ticket
from movies.models import Movie
from theaters.models import Seat, Showtime

WHATS_ON_DAYS = 7


@dataclass(frozen=True)
class SeatMap:
    grid_html: SafeString
    columns: int
    seat_count: int
    free_count: int
    selected_ids: frozenset[int]


def _seat_html(pk: int, row: str, number: int, *, taken: bool, checked: bool) -> str:
    if taken:
        state = f'aria-label="Seat {row}{number} (taken)" disabled'
    else:
        state = f'aria-label="Seat {row}{number}"' + (" checked" if checked else "")
    return (
        f'<span class="seat"><input class="seat-input" type="checkbox" name="seats" value="{pk}" {state}>'
        f'<span class="seat-number" aria-hidden="true">{number}</span></span>'
    )


def seat_map_for(
    showtime: Showtime, *, selected: Iterable[int] = (), booking: Booking | None = None
) -> SeatMap:
    """The seat grid of `showtime` as one escaped HTML fragment, in 2 queries.

    `selected` seats come back checked unless taken; a `booking` being changed
    sees its own seats as free.
    """
    seats = list(
        Seat.objects.filter(room_id=showtime.room_id)
        .order_by("row", "number")
        .values_list("pk", "row", "number")
    )
    taken = Ticket.objects.filter(showtime_id=showtime.pk, active=True)
    if booking is not None:
        taken = taken.exclude(booking_id=booking.pk)
    taken_ids = set(taken.values_list("seat_id", flat=True))
    selected_ids = frozenset(selected) - taken_ids
    columns = max((number for _pk, _row, number in seats), default=0)

    # Rendering 300 seats through a template loop costs milliseconds; string
    # building costs a tenth of that. Ids and numbers are ints, and the row
    # letter (A-Z by a check constraint) is escaped anyway, once per row.
    parts: list[str] = []
    row_seats: dict[int, str] = {}
    current_row = None

    def close_row() -> None:
        if current_row is None:
            return
        letter = escape(current_row)
        cells = "".join(row_seats.get(n, '<span class="seat-gap"></span>') for n in range(1, columns + 1))
        parts.append(
            f'<div class="seat-row" role="group" aria-label="Row {letter}">'
            f'<span class="row-label" aria-hidden="true">{letter}</span>{cells}'
            f'<span class="row-label" aria-hidden="true">{letter}</span></div>'
        )

    for pk, row, number in seats:
        if row != current_row:
            close_row()
            current_row, row_seats = row, {}
        row_seats[number] = _seat_html(pk, row, number, taken=pk in taken_ids, checked=pk in selected_ids)
    close_row()

    return SeatMap(
        grid_html=mark_safe("".join(parts)),  # built from ints and escaped letters only
        columns=columns,
        seat_count=len(seats),
        free_count=len(seats) - len(taken_ids),
        selected_ids=selected_ids & {pk for pk, _row, _number in seats},
    )


def whats_on_days(today: date | None = None) -> list[date]:
    today = today or timezone.localdate()
    return [today + timedelta(days=offset) for offset in range(WHATS_ON_DAYS)]


def _local_day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def showtimes_by_movie(day: date) -> list[tuple[Movie, list[Showtime]]]:
    """What's on `day` (local): upcoming showtimes grouped by movie, in 1 query."""
    start, end = _local_day_bounds(day)
    showtimes = list(
        Showtime.objects.upcoming()
        .filter(starts_at__gte=start, starts_at__lt=end)
        .select_related("movie", "room")
        .with_seats_sold()
        .order_by("movie__title", "movie_id", "starts_at")
    )
    groups: dict[int, tuple[Movie, list[Showtime]]] = {}
    for showtime in showtimes:
        groups.setdefault(showtime.movie_id, (showtime.movie, []))[1].append(showtime)
    return list(groups.values())


def bookings_of(user, now: datetime | None = None) -> tuple[list[Booking], list[Booking]]:
    """A user's bookings split into (upcoming, past and cancelled), in 2 queries.

    Upcoming ones come soonest first; the rest most recent first.
    """
    now = now or timezone.now()
    bookings = list(Booking.objects.for_user(user).with_details().order_by("showtime__starts_at", "id"))
    upcoming = [b for b in bookings if not b.is_cancelled and b.showtime.starts_at > now]
    upcoming_ids = {b.pk for b in upcoming}
    rest = [b for b in reversed(bookings) if b.pk not in upcoming_ids]
    return upcoming, rest


def booking_of(user, code: str) -> Booking | None:
    """One of `user`'s bookings by its code (case-insensitive), with its details."""
    return Booking.objects.for_user(user).with_details().filter(code=code.upper()).first()
