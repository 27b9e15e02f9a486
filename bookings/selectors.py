"""Reads behind the moviegoers' pages: the seat map, what's on and my bookings.

Each runs a constant number of queries whatever the room size or the number
of showtimes and bookings (DESIGN.md "Performance budgets").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property, lru_cache

from django.utils import timezone
from django.utils.safestring import SafeString

from bookings.models import Booking, seat_taken, seats_sold
from bookings.seat_grid import seat_grid_html
from cinema.localtime import local_day_bounds
from movies.models import Movie
from theaters.grid import SeatCell, grid_rows
from theaters.models import Seat, Showtime

WHATS_ON_DAYS = 7


@dataclass(frozen=True)
class SeatMap:
    grid_html: SafeString
    columns: int
    seat_count: int
    free_count: int
    selected_ids: frozenset[int]


@dataclass(frozen=True)
class SeatStates:
    """A showtime's seats in row order, (pk, row, number), and the ids of those taken."""

    seats: tuple[tuple[int, str, int], ...]
    taken_ids: frozenset[int]

    def seat_map(self, selected: Iterable[int] = ()) -> SeatMap:
        """The map; `selected` seats come back checked unless taken."""
        selected_ids = frozenset(selected) - self.taken_ids
        columns, rows = grid_rows(SeatCell(*seat) for seat in self.seats)
        return SeatMap(
            grid_html=seat_grid_html(rows, taken_ids=self.taken_ids, checked_ids=selected_ids),
            columns=columns,
            seat_count=len(self.seats),
            free_count=len(self.seats) - len(self.taken_ids),
            selected_ids=selected_ids & {pk for pk, _row, _number in self.seats},
        )

    @cached_property
    def plain_map(self) -> SeatMap:
        """The map with nothing selected: what every visitor sees first."""
        return self.seat_map()

    @cached_property
    def api_seats(self) -> tuple[dict, ...]:
        """The seats as `GET /api/sessions/{id}` lists them (plain dicts: a serializer
        per seat would cost more than the rest of the request)."""
        return tuple(
            {
                "id": pk,
                "row": row,
                "number": number,
                "label": f"{row}{number}",
                "available": pk not in self.taken_ids,
            }
            for pk, row, number in self.seats
        )


def _read_seat_states(showtime: Showtime, *, except_booking: Booking | None = None) -> SeatStates:
    """1 query: the room's seats, each with whether an active ticket (of another
    booking than `except_booking`) holds it, over the partial unique index."""
    rows = (
        Seat.objects.filter(room_id=showtime.room_id)
        .order_by("row", "number")
        .annotate(taken=seat_taken(showtime, except_booking=except_booking))
        .values_list("pk", "row", "number", "taken")
    )
    seats, taken_ids = [], set()
    for pk, row, number, taken in rows:
        seats.append((pk, row, number))
        if taken:
            taken_ids.add(pk)
    return SeatStates(seats=tuple(seats), taken_ids=frozenset(taken_ids))


# Seat states per process, keyed by (showtime, room, seats_version). The key
# comes from the showtime row each request reads anyway, and every ticket
# write changes the version under the showtime's lock in the same transaction
# (bookings/services.py), so an entry is never stale: a write makes the next
# read a miss, and old versions fall out of the LRU. Not Django's shared
# cache: it is the database cache here, and a get would cost a query, as
# much as reading the seats again. Bounded: a 300-seat entry holding both the
# grid's HTML and the API's list is ~0.2 MB, so at most ~25 MB a worker.
SEAT_STATES_CACHED = 128


@lru_cache(maxsize=SEAT_STATES_CACHED)
def _cached_seat_states(showtime_id: int, room_id: int, seats_version: int) -> SeatStates:
    return _read_seat_states(Showtime(pk=showtime_id, room_id=room_id))


def seat_states(showtime: Showtime) -> SeatStates:
    """The current seat states of `showtime` (as read with it): 0 queries when
    cached for its version, else 1."""
    return _cached_seat_states(showtime.pk, showtime.room_id, showtime.seats_version)


def seat_map_for(
    showtime: Showtime, *, selected: Iterable[int] = (), booking: Booking | None = None
) -> SeatMap:
    """The seat grid of `showtime`, in at most 1 query.

    The plain map comes from the versioned cache. A map with `selected` seats
    (shown again after a refused booking) or for a `booking` being changed (its
    own seats count as free) is read afresh: the refusal may be news that the
    showtime read earlier in the request cannot know of.
    """
    if booking is None and not selected:
        return seat_states(showtime).plain_map
    return _read_seat_states(showtime, except_booking=booking).seat_map(selected)


def whats_on_days(today: date | None = None) -> list[date]:
    today = today or timezone.localdate()
    return [today + timedelta(days=offset) for offset in range(WHATS_ON_DAYS)]


def showtimes_by_movie(day: date) -> list[tuple[Movie, list[Showtime]]]:
    """What's on `day` (local): upcoming showtimes grouped by movie, in 1 query."""
    start, end = local_day_bounds(day)
    showtimes = list(
        Showtime.objects.upcoming()
        .filter(starts_at__gte=start, starts_at__lt=end)
        .select_related("movie", "room")
        .annotate(seats_sold=seats_sold())
        .order_by("movie__title", "movie_id", "starts_at")
    )
    groups: dict[int, tuple[Movie, list[Showtime]]] = {}
    for showtime in showtimes:
        groups.setdefault(showtime.movie_id, (showtime.movie, []))[1].append(showtime)
    return list(groups.values())


def bookings_upcoming_and_past(user, now: datetime | None = None) -> tuple[list[Booking], list[Booking]]:
    """A user's bookings split into (upcoming, past and cancelled), in 2 queries.

    Upcoming ones come soonest first; the rest most recent first.
    """
    now = now or timezone.now()
    bookings = list(Booking.objects.for_user(user).with_details().order_by("showtime__starts_at", "id"))
    upcoming = [b for b in bookings if not b.is_cancelled and b.showtime.starts_at > now]
    upcoming_ids = {b.pk for b in upcoming}
    rest = [b for b in reversed(bookings) if b.pk not in upcoming_ids]
    return upcoming, rest


def booking_by_code(user, code: str) -> Booking | None:
    """One of `user`'s bookings by its code (case-insensitive), with its details."""
    return Booking.objects.for_user(user).with_details().filter(code=code.upper()).first()
