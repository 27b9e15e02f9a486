"""Reads behind the moviegoers' pages: the seat map, what's on and my bookings.

Each runs a constant number of queries whatever the room size or the number
of showtimes and bookings (DESIGN.md "Performance budgets").
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache, cached_property

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from bookings.models import (
    Booking,
    Hold,
    WaitlistEntry,
    accessible_release_at,
    seat_held_until,
    seat_taken,
    seats_sold,
)
from bookings.prices import Offer, lowest_price, offer_for
from bookings.seat_grid import seat_grid_html
from bookings.seating import BestSeats, OpenRow, Place, best_seats
from cinema.ids import MAX_ID
from cinema.localtime import local_day_bounds
from cinema.prepared import CompiledRow, Prepared, QueryShape
from movies.models import Genre, Movie
from theaters.grid import SEAT_CELL_FIELDS, SeatCell, grid_rows
from theaters.models import Room, Seat, SeatKind, Showtime

WHATS_ON_DAYS = 7


@dataclass(frozen=True)
class SeatMap:
    grid_html: SafeString
    columns: int
    seat_count: int
    free_count: int
    selected_ids: frozenset[int]
    companions_kept: bool = False
    sold_out: bool = False


@dataclass(frozen=True)
class SeatStates:
    """A showtime's seats in row order (SeatCell); the ids of those taken (sold or held),
    of those held and of those blocked; whether its companion seats are still kept for
    wheelchair users; and until when this is true, if a hold expires or the companion
    seats are released first."""

    seats: tuple[SeatCell, ...]
    taken_ids: frozenset[int]
    held_ids: frozenset[int] = frozenset()
    blocked_ids: frozenset[int] = frozenset()
    companions_kept: bool = False
    valid_until: datetime | None = None

    def is_current(self, now: datetime) -> bool:
        return self.valid_until is None or now < self.valid_until

    version: int = 0  # the showtime's seats_version they were read at

    @property
    def etag(self) -> str:
        """Names these states for conditional GETs (the live seat map)."""
        return f'"{self.version}-{self.valid_until.timestamp() if self.valid_until else 0}"'

    @cached_property
    def unavailable_ids(self) -> frozenset[int]:
        """Seats no one can tick: taken or blocked."""
        return self.taken_ids | self.blocked_ids

    def seat_map(self, selected: Iterable[int] = ()) -> SeatMap:
        """The map; `selected` seats come back checked unless taken or blocked."""
        selected_ids = frozenset(selected) - self.unavailable_ids
        columns, rows = grid_rows(self.seats)
        sellable = len(self.seats) - len(self.blocked_ids)
        return SeatMap(
            grid_html=seat_grid_html(rows, unavailable_ids=self.unavailable_ids, checked_ids=selected_ids),
            columns=columns,
            seat_count=sellable,
            free_count=len(self.seats) - len(self.unavailable_ids),
            selected_ids=selected_ids & {seat.pk for seat in self.seats},
            companions_kept=self.companions_kept,
            sold_out=self.sold_out,
        )

    @cached_property
    def _plain_maps(self) -> dict[str, SeatMap]:
        return {}

    def plain_map(self) -> SeatMap:
        """The map with nothing selected: what every visitor sees first. Built once per
        language, since the grid's seat names are in the page's language."""
        language = get_language()
        plain = self._plain_maps.get(language)
        if plain is None:
            plain = self._plain_maps[language] = self.seat_map()
        return plain

    def is_available(self, seat: SeatCell) -> bool:
        """Whether anyone may take `seat` alone now (docs/api.md: `available`)."""
        if seat.pk in self.unavailable_ids:
            return False
        return not (self.companions_kept and seat.kind == SeatKind.COMPANION)

    @cached_property
    def sold_out(self) -> bool:
        """No seat anyone may take alone is free: what opens the waiting list."""
        return not any(self.is_available(seat) for seat in self.seats)

    @cached_property
    def api_seats(self) -> tuple[dict, ...]:
        """The seats as `GET /api/sessions/{id}` lists them (plain dicts: a serializer
        per seat would cost more than the rest of the request)."""
        return tuple(
            {
                "id": seat.pk,
                "row": seat.row,
                "number": seat.number,
                "label": seat.label,
                "column": seat.column,
                "kind": seat.kind,
                "blocked": seat.blocked,
                "available": self.is_available(seat),
                "held": seat.pk in self.held_ids,
            }
            for seat in self.seats
        )

    @cached_property
    def open_rows(self) -> list[OpenRow]:
        """The rows as bookings/seating.py reads them: the seats anyone may take alone now."""
        centres: dict[str, tuple[int, int]] = {}
        places: dict[str, list[Place]] = {}
        for seat in self.seats:
            first, last = centres.get(seat.row, (seat.column, seat.column))
            centres[seat.row] = (min(first, seat.column), max(last, seat.column))
            in_row = places.setdefault(seat.row, [])
            if seat.kind == SeatKind.STANDARD and seat.pk not in self.unavailable_ids:
                in_row.append(Place(seat.pk, seat.label, seat.column))
        return [
            OpenRow(
                index=ord(row) - ord("A"),
                centre=sum(centres[row]) / 2,
                places=tuple(sorted(in_row, key=lambda place: place.column)),
            )
            for row, in_row in places.items()
        ]

    @cached_property
    def live_states(self) -> dict:
        """What the live seat map polls for: the ids of the seats no one can take now."""
        return {"taken": sorted(self.unavailable_ids)}


def read_seat_states(
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
        .values_list(*SEAT_CELL_FIELDS, "sold", "held_until")
    )
    seats, taken_ids, held_ids, blocked_ids, expiries = [], set(), set(), set(), []
    for *cell, sold, held_until in rows:
        seat = SeatCell(*cell)
        seats.append(seat)
        if seat.blocked:
            blocked_ids.add(seat.pk)
        if sold:
            taken_ids.add(seat.pk)
        elif held_until is not None:
            taken_ids.add(seat.pk)
            held_ids.add(seat.pk)
            expiries.append(held_until)
    release = accessible_release_at(showtime)
    companions_kept = now < release
    if companions_kept:
        expiries.append(release)
    return SeatStates(
        seats=tuple(seats),
        taken_ids=frozenset(taken_ids),
        held_ids=frozenset(held_ids),
        blocked_ids=frozenset(blocked_ids),
        companions_kept=companions_kept,
        valid_until=min(expiries, default=None),
        version=showtime.seats_version,
    )


# Seat states per process, keyed by (showtime, room, seats_version). The key
# comes from the showtime row each request reads anyway, and every ticket or
# hold write changes the version under the showtime's lock in the same
# transaction (bookings/services.py), so an entry is never stale: a write makes
# the next read a miss, and an entry also ends when the first hold it saw
# expires or the companion seats are released (`valid_until`). A room's redrawn
# layout bumps the version of its showtimes too (theaters/services.py). Not
# Django's shared cache: it is the database cache here, and a get would cost a
# query, as much as reading the seats again.
# Bounded: a 300-seat entry holding both the grid's HTML (one per language
# asked for) and the API's list is ~0.2 MB, so at most ~25 MB a worker per language.
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
    states = read_seat_states(showtime, now)
    _seat_states_cache[key] = states
    if len(_seat_states_cache) > SEAT_STATES_CACHED:
        _seat_states_cache.popitem(last=False)
    return states


# What GET /api/sessions/{id} is made of besides its seat states and prices
# (both versioned by seats_version): read as one row, no model built, it keys
# the rendered JSON. A staff edit (start, price, status, room) changes the row.
SESSION_ROW = (
    "seats_version",
    "movie_id",
    "room_id",
    "starts_at",
    "ends_at",
    "price",
    "status",
    "movie__title",
    "room__name",
    "room__capacity",
)


@cache
def _session_row_read() -> CompiledRow:
    # Compiled once per process with a stand-in id: the ORM would spend ~3× the query's time building it.
    return CompiledRow.of(Showtime.objects.filter(pk=0).values_list(*SESSION_ROW))


def session_row(pk: int) -> tuple | None:
    """The session's row as `SESSION_ROW` names it, in 1 query; None when there is no such session."""
    return _session_row_read().first(pk)


# Offers per process, keyed by the showtime's prices_version, which every change
# of its prices moves (theaters/services.py, under its lock) and a booking does not.
OFFERS_CACHED = 512
_offer_cache: OrderedDict[tuple[int, int], Offer] = OrderedDict()


def showtime_offer(showtime: Showtime) -> Offer:
    """`showtime`'s prices (as read with it): 0 queries when cached for its version, else 1."""
    key = (showtime.pk, showtime.prices_version)
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
        return seat_states(showtime).plain_map()
    states = read_seat_states(showtime, timezone.now(), except_booking=booking, except_user=holder)
    return states.seat_map(selected)


def best_seats_for(showtime: Showtime, count: int) -> BestSeats | None:
    """The best `count` seats of `showtime` now (bookings/seating.py), in at most 1 query."""
    return best_seats(seat_states(showtime).open_rows, count)


def seat_map_with_best(showtime: Showtime, count: int, *, holder=None) -> tuple[BestSeats | None, SeatMap]:
    """The best `count` seats and the map with them ticked, in 1 query; a `holder`'s own
    hold counts as free (holding the best seats replaces it)."""
    states = read_seat_states(showtime, timezone.now(), except_user=holder)
    best = best_seats(states.open_rows, count)
    return best, states.seat_map([place.pk for place in best.places] if best else [])


def whats_on_days(today: date | None = None) -> list[date]:
    today = today or timezone.localdate()
    return [today + timedelta(days=offset) for offset in range(WHATS_ON_DAYS)]


def showtimes_by_movie(day: date, genre: Genre | None = None) -> list[tuple[Movie, list[Showtime]]]:
    """What's on `day` (local), of `genre` if given: upcoming showtimes grouped by
    movie, the movies' genres prefetched, in 2 queries."""
    start, end = local_day_bounds(day)
    day_showtimes = (
        Showtime.objects.upcoming()
        .filter(starts_at__gte=start, starts_at__lt=end)
        .select_related("movie", "room")
        .prefetch_related("movie__genres")
        .annotate(seats_sold=seats_sold(), lowest_price=lowest_price())
        .order_by("movie__title", "movie_id", "starts_at")
    )
    if genre is not None:
        day_showtimes = day_showtimes.filter(movie__genres=genre)
    groups: dict[int, tuple[Movie, list[Showtime]]] = {}
    for showtime in day_showtimes:
        groups.setdefault(showtime.movie_id, (showtime.movie, []))[1].append(showtime)
    return list(groups.values())


def _columns(model, prefix: str = "") -> list[str]:
    return [f"{prefix}{field.name}" for field in model._meta.concrete_fields]


@cache
def _whats_on_rows_shape() -> QueryShape:
    # Every column, not a list of the ones shown: a field added later cannot be forgotten.
    columns = (*_columns(Showtime), *_columns(Movie, "movie__"), *_columns(Room, "room__"), "movie__genres")
    now, start, end = (datetime(1901, 1, 1, hour, tzinfo=UTC) for hour in (1, 2, 3))
    showtimes = (
        Showtime.objects.upcoming(now)
        .filter(starts_at__gte=start, starts_at__lt=end)
        .order_by("pk", "movie__genres")
        .values_list(*columns)
    )
    return QueryShape.of(showtimes, {"now": now, "start": start, "end": end})


@cache
def _genres_read() -> Prepared:
    filed = Movie.genres.through.objects.filter(genre=OuterRef("pk"))
    genres = Genre.objects.annotate(in_use=Exists(filed)).order_by("pk")
    return Prepared.of(genres.values_list(*_columns(Genre), "in_use"))


def whats_on_made_of(day: date) -> tuple:
    """What the what's-on page of `day` is made of, as rows, in 2 queries (compiled once):
    every column of the day's upcoming showtimes with their movies' (genres included)
    and rooms', and every genre with whether a movie is filed under it. Equal rows make
    the same page: seat counts move `seats_version`, prices `prices_version`, and a
    showtime that starts leaves the rows."""
    start, end = local_day_bounds(day)
    showtimes = _whats_on_rows_shape().prepared(now=timezone.now(), start=start, end=end)
    return tuple(showtimes.rows()), tuple(_genres_read().rows())


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


def bookings_visible_to(user) -> QuerySet[Booking]:
    """Staff see every booking; a user only their own (anyone else's is a 404)."""
    bookings = Booking.objects.with_details()
    return bookings if user.is_staff else bookings.for_user(user)


def booking_by_code(user, code: str) -> Booking | None:
    """One of `user`'s bookings by its code (case-insensitive), with its details."""
    return Booking.objects.for_user(user).with_details().filter(code=code.upper()).first()


@cache
def _customer_session_row_shape() -> QueryShape:
    # Compiled once: read on every customer's seat map, where building it cost more than running it.
    user, showtime, now = MAX_ID - 1, MAX_ID - 2, datetime(1901, 1, 1, tzinfo=UTC)
    holds = Hold.objects.active(now).filter(user_id=user, showtime=OuterRef("pk"))
    row = (
        Showtime.objects.filter(pk=showtime)
        .annotate(customer_holds_seats=Exists(holds))
        .values_list(*SESSION_ROW, "customer_holds_seats")
    )
    return QueryShape.of(row, {"user": user, "showtime": showtime, "now": now})


def customer_session_row(user, pk: int) -> tuple[tuple | None, bool]:
    """The session's row as `session_row` gives it, and whether `user` has an
    unexpired hold of it, in 1 query; (None, False) when there is no such session."""
    rows = _customer_session_row_shape().prepared(user=user.pk, showtime=pk, now=timezone.now()).rows()
    if not rows:
        return None, False
    *row, holds_seats = rows[0]
    return tuple(row), holds_seats


def active_hold_of(user, showtime: Showtime) -> Hold | None:
    """`user`'s unexpired hold of `showtime`, or None."""
    return Hold.objects.active().filter(user=user, showtime=showtime).first()


def waitlist_of(user, now: datetime | None = None) -> list[WaitlistEntry]:
    """`user`'s waiting list entries of showtimes not started, soonest first, with their
    live position, showtime, movie, room and offer, in 1 query."""
    return list(
        WaitlistEntry.objects.with_position()
        .filter(user=user, showtime__starts_at__gt=now or timezone.now())
        .select_related("showtime__movie", "showtime__room", "hold")
        .order_by("showtime__starts_at", "created_at")
    )


def waitlist_entry_of(user, showtime: Showtime) -> WaitlistEntry | None:
    """`user`'s live entry on `showtime`'s waiting list with its position, or None."""
    return WaitlistEntry.objects.with_position().live().filter(user=user, showtime=showtime).first()
