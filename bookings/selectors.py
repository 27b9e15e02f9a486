"""Reads behind the moviegoers' pages: the seat map, what's on and my bookings.

Each runs a constant number of queries whatever the room size or the number
of showtimes and bookings (DESIGN.md "Performance budgets").
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property

from django.utils import timezone
from django.utils.safestring import SafeString

from bookings.models import Booking, Hold, seat_held_until, seat_taken, seats_sold
from bookings.prices import Offer, lowest_price, offer_for
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
    """A showtime's seats in row order, (pk, row, number); the ids of those taken (sold
    or held) and of those held; and until when this is true, if a hold expires first."""

    seats: tuple[tuple[int, str, int], ...]
    taken_ids: frozenset[int]
    held_ids: frozenset[int] = frozenset()
    valid_until: datetime | None = None

    def is_current(self, now: datetime) -> bool:
        return self.valid_until is None or now < self.valid_until

    version: int = 0  # the showtime's seats_version they were read at

    @property
    def etag(self) -> str:
        """Names these states for conditional GETs (the live seat map)."""
        return f'"{self.version}-{self.valid_until.timestamp() if self.valid_until else 0}"'

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
                "held": pk in self.held_ids,
            }
            for pk, row, number in self.seats
        )

    @cached_property
    def live_states(self) -> dict:
        """What the live seat map polls for: the ids of the seats no one can take now."""
        return {"taken": sorted(self.taken_ids)}


def _read_seat_states(
    showtime: Showtime, now: datetime, *, except_booking: Booking | None = None, except_user=None
) -> SeatStates:
    """1 query: the room's seats, each with whether an active ticket (of another booking
    than `except_booking`) or an unexpired hold (not `except_user`'s) keeps it."""
    rows = (
        Seat.objects.filter(room_id=showtime.room_id)
        .order_by("row", "number")
        .annotate(
            sold=seat_taken(showtime, except_booking=except_booking),
            held_until=seat_held_until(showtime, now, except_user=except_user),
        )
        .values_list("pk", "row", "number", "sold", "held_until")
    )
    seats, taken_ids, held_ids, expiries = [], set(), set(), []
    for pk, row, number, sold, held_until in rows:
        seats.append((pk, row, number))
        if sold:
            taken_ids.add(pk)
        elif held_until is not None:
            taken_ids.add(pk)
            held_ids.add(pk)
            expiries.append(held_until)
    return SeatStates(
        seats=tuple(seats),
        taken_ids=frozenset(taken_ids),
        held_ids=frozenset(held_ids),
        valid_until=min(expiries, default=None),
        version=showtime.seats_version,
    )


# Seat states per process, keyed by (showtime, room, seats_version). The key
# comes from the showtime row each request reads anyway, and every ticket or
# hold write changes the version under the showtime's lock in the same
# transaction (bookings/services.py), so an entry is never stale: a write makes
# the next read a miss, and an entry also ends when the first hold it saw
# expires (`valid_until`). Not Django's shared cache: it is the database cache
# here, and a get would cost a query, as much as reading the seats again.
# Bounded: a 300-seat entry holding both the grid's HTML and the API's list is
# ~0.2 MB, so at most ~25 MB a worker.
SEAT_STATES_CACHED = 128
_seat_states_cache: OrderedDict[tuple[int, int, int], SeatStates] = OrderedDict()


def seat_states(showtime: Showtime, now: datetime | None = None) -> SeatStates:
    """The current seat states of `showtime` (as read with it): 0 queries when
    cached for its version and no hold has expired since, else 1."""
    now = now or timezone.now()
    key = (showtime.pk, showtime.room_id, showtime.seats_version)
    states = _seat_states_cache.get(key)
    if states is not None and states.is_current(now):
        _seat_states_cache.move_to_end(key)
        return states
    states = _read_seat_states(showtime, now)
    _seat_states_cache[key] = states
    if len(_seat_states_cache) > SEAT_STATES_CACHED:
        _seat_states_cache.popitem(last=False)
    return states


# Offers per process, keyed like the seat states: a change of a showtime's
# prices (theaters/services.py) moves its seats_version too, under its lock.
OFFERS_CACHED = 512
_offer_cache: OrderedDict[tuple[int, int], Offer] = OrderedDict()


def showtime_offer(showtime: Showtime) -> Offer:
    """`showtime`'s prices (as read with it): 0 queries when cached for its version, else 1."""
    key = (showtime.pk, showtime.seats_version)
    offer = _offer_cache.get(key)
    if offer is not None:
        _offer_cache.move_to_end(key)
        return offer
    offer = _offer_cache[key] = offer_for(showtime)
    if len(_offer_cache) > OFFERS_CACHED:
        _offer_cache.popitem(last=False)
    return offer


def seat_map_for(
    showtime: Showtime, *, selected: Iterable[int] = (), booking: Booking | None = None, holder=None
) -> SeatMap:
    """The seat grid of `showtime`, in at most 1 query.

    The plain map comes from the versioned cache. A map with `selected` seats
    (shown again after a refused hold), for a `booking` being changed (its own
    seats count as free) or for a `holder` of seats (theirs count as free) is
    read afresh: the refusal may be news the showtime read earlier cannot know of.
    """
    if booking is None and holder is None and not selected:
        return seat_states(showtime).plain_map
    states = _read_seat_states(showtime, timezone.now(), except_booking=booking, except_user=holder)
    return states.seat_map(selected)


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
        .annotate(seats_sold=seats_sold(), lowest_price=lowest_price())
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


def active_hold_of(user, showtime: Showtime) -> Hold | None:
    """`user`'s unexpired hold of `showtime`, or None."""
    return Hold.objects.active().filter(user=user, showtime=showtime).first()
