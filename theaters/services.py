"""Writes of rooms and the schedule: the only code that creates or moves showtimes.

Cancelling a showtime cancels its bookings, so it lives in bookings/services.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cinema.errors import DomainError
from cinema.postgres import is_violation
from movies.models import Movie
from pricing.models import ADULT, TicketType
from pricing.selectors import card_prices_for, price_cards
from theaters.layout import MAX_CELLS, MAX_ROWS, LayoutSeat, parse_layout, rectangle
from theaters.models import Room, Seat, Showtime, ShowtimePrice, room_name_taken_message

ROOM_NAME_UNIQUE, ROOM_NAME_UNIQUE_COLUMNS = (
    "theaters_room_name_ci_unique",
    "index 'theaters_room_name_ci_unique'",
)
MAX_SEATS_PER_ROW = MAX_CELLS
# Further ahead a start is a typo; near year 9999 its derived end overflows.
MAX_YEARS_AHEAD = 5


class ScheduleError(DomainError):
    """A refused room or schedule change."""

    conflicts = frozenset(
        {"room_has_sessions", "session_has_bookings", "session_cancelled", "seat_has_tickets"}
    )


def _check_grid(rows: int, seats_per_row: int) -> None:
    if not 1 <= rows <= MAX_ROWS:
        raise ScheduleError(
            "invalid_grid", _("A room has 1 to %(limit)s rows.") % {"limit": MAX_ROWS}, field="rows"
        )
    if not 1 <= seats_per_row <= MAX_SEATS_PER_ROW:
        raise ScheduleError(
            "invalid_grid",
            _("A row has 1 to %(limit)s seats.") % {"limit": MAX_SEATS_PER_ROW},
            field="seats_per_row",
        )


def _room_name_taken(name: str) -> ScheduleError:
    return ScheduleError("room_name_taken", room_name_taken_message(name), field="name")


def _save_room_name(room: Room, **save_kwargs) -> None:
    # theaters_room_name_ci_unique decides, whatever the case and whatever the race.
    try:
        with transaction.atomic():
            room.save(**save_kwargs)
    except IntegrityError as error:
        if is_violation(error, constraint=ROOM_NAME_UNIQUE, sqlite_columns=ROOM_NAME_UNIQUE_COLUMNS):
            raise _room_name_taken(room.name) from error
        raise


def _capacity(seats: list[LayoutSeat]) -> int:
    return sum(not seat.blocked for seat in seats)


@transaction.atomic
def room_create(
    *, name: str, rows: int | None = None, seats_per_row: int | None = None, layout: list[str] | None = None
) -> Room:
    """Create a room from its `layout` (theaters/layout.py), or a rectangle of
    `rows` × `seats_per_row` standard seats: rows lettered A…, seats numbered from 1."""
    if layout is not None and (rows is not None or seats_per_row is not None):
        raise ScheduleError(
            "invalid_grid", _("Give either a layout or rows and seats per row, not both."), field="layout"
        )
    if layout is None:
        if rows is None or seats_per_row is None:
            raise ScheduleError(
                "invalid_grid", _("Give rows and seats per row, or a layout."), field="layout"
            )
        _check_grid(rows, seats_per_row)
        layout = rectangle(rows, seats_per_row)
    seats = parse_layout(layout)
    room = Room(name=name.strip(), capacity=_capacity(seats))
    _save_room_name(room)
    Seat.objects.bulk_create(Seat(room=room, **seat._asdict()) for seat in seats)
    return room


@transaction.atomic
def room_change_layout(*, room: Room, layout: list[str]) -> Room:
    """Redraw a room: a seat that stays (same row and column) keeps its id, its tickets
    and its holds; one that goes must have no tickets (sold or refunded: they are history)."""
    wanted = {(seat.row, seat.column): seat for seat in parse_layout(layout)}
    room = Room.objects.select_for_update().get(pk=room.pk)
    # Showtime rows first, as every booking write locks them: none can sell a seat of
    # this room while it changes, and the seat maps cached by version are redrawn.
    Showtime.objects.filter(room=room).update(seats_version=F("seats_version") + 1)
    current = {(seat.row, seat.column): seat for seat in room.seats.all()}
    gone = [seat for key, seat in current.items() if key not in wanted]
    try:
        with transaction.atomic():
            Seat.objects.filter(pk__in=[seat.pk for seat in gone]).delete()
    except models.ProtectedError as error:
        # The protected objects are the tickets (bookings/models.py), read without importing them.
        sold = {getattr(ticket, "seat_id", None) for ticket in error.protected_objects}
        with_tickets = sorted((seat for seat in gone if seat.pk in sold), key=lambda s: (s.row, s.number))
        labels = ", ".join(seat.label for seat in with_tickets)
        raise ScheduleError(
            "seat_has_tickets",
            ngettext(
                "%(seats)s has tickets, so it cannot be removed: block it (X) instead.",
                "%(seats)s have tickets, so they cannot be removed: block them (X) instead.",
                len(with_tickets),
            )
            % {"seats": labels},
            field="layout",
        ) from error
    kept = [current[key] for key in wanted if key in current]
    # Numbers move when a gap comes or goes: out of the unique (row, number) way first.
    for seat in kept:
        seat.number += MAX_CELLS
    Seat.objects.bulk_update(kept, ["number"])
    for seat in kept:
        new = wanted[(seat.row, seat.column)]
        seat.number, seat.kind, seat.blocked = new.number, new.kind, new.blocked
    Seat.objects.bulk_update(kept, ["number", "kind", "blocked"])
    Seat.objects.bulk_create(
        Seat(room=room, **seat._asdict()) for key, seat in wanted.items() if key not in current
    )
    room.capacity = _capacity(list(wanted.values()))
    room.save(update_fields=["capacity"])
    return room


def room_rename(*, room: Room, name: str) -> Room:
    room.name = name.strip()
    _save_room_name(room, update_fields=["name"])
    return room


@transaction.atomic
def room_update(*, room: Room, name: str | None = None, layout: list[str] | None = None) -> Room:
    """Rename a room and/or redraw it (`room_change_layout`), both or neither."""
    if name is not None:
        room = room_rename(room=room, name=name)
    if layout is not None:
        room = room_change_layout(room=room, layout=layout)
    return room


def room_delete(*, room: Room) -> None:
    try:
        room.delete()
    except models.ProtectedError as error:
        raise ScheduleError(
            "room_has_sessions",
            _("“%(room)s” has sessions, so it cannot be deleted. Delete or move them first.")
            % {"room": room.name},
        ) from error


def overlap_message(room: Room, other: Showtime) -> str:
    start = timezone.localtime(other.starts_at)
    free = timezone.localtime(other.room_free_at)
    return _("%(room)s is busy then: “%(movie)s” runs %(start)s–%(end)s (cleaning included).") % {
        "room": room.name,
        "movie": other.movie.title,
        "start": date_format(start, _("D d M H:i")),
        "end": f"{free:%H:%M}",
    }


def _keep_booked_in_place(showtime: Showtime) -> None:
    """A booked showtime (any booking, cancelled ones too) keeps its room, since its
    tickets are for that room's seats, and its movie and start, which its moviegoers
    chose (telling them of a move comes later). Its price may change."""
    if showtime.pk is None or not showtime.bookings.exists():
        return
    stored = Showtime.objects.values("movie_id", "room_id", "starts_at").get(pk=showtime.pk)
    if showtime.room_id != stored["room_id"]:
        raise ScheduleError(
            "session_has_bookings",
            _("This session has bookings for seats in its room, so it cannot move to another room."),
            field="room",
        )
    if showtime.movie_id != stored["movie_id"]:
        raise ScheduleError(
            "session_has_bookings",
            _(
                "This session has bookings, so it cannot change to another movie: "
                "cancel it and schedule a new one instead."
            ),
            field="movie",
        )
    # To the second: the admin's form shows no fractions, so sending it back unchanged is no move.
    if showtime.starts_at.replace(microsecond=0) != stored["starts_at"].replace(microsecond=0):
        raise ScheduleError(
            "session_has_bookings",
            _(
                "This session has bookings, so its start cannot move: "
                "cancel it and schedule a new one instead."
            ),
            field="starts_at",
        )


def check_slot(*, showtime: Showtime) -> None:
    """Refuse a start in the past or too far ahead, a change of room, movie or start
    of a booked showtime, or a slot that meets another scheduled showtime of the room.

    `showtime` carries the wanted movie, room and start; its times are derived here.
    Forms call this for a friendly error; the services call it again under the lock.
    """
    now = timezone.now()
    if showtime.starts_at > now + timedelta(days=365 * MAX_YEARS_AHEAD):
        raise ScheduleError(
            "starts_too_far_ahead",
            _("A session can be scheduled at most %(limit)s years ahead.") % {"limit": MAX_YEARS_AHEAD},
            field="starts_at",
        )
    _keep_booked_in_place(showtime)
    showtime.set_times()
    if showtime.starts_at <= now:
        raise ScheduleError("starts_in_past", _("A session cannot start in the past."), field="starts_at")
    clash = (
        Showtime.objects.overlapping(
            room=showtime.room, starts_at=showtime.starts_at, room_free_at=showtime.room_free_at
        )
        .exclude(pk=showtime.pk)
        .select_related("movie")
        .first()
    )
    if clash:
        raise ScheduleError("showtime_overlap", overlap_message(showtime.room, clash), field="starts_at")


def _save_slot(showtime: Showtime) -> Showtime:
    # The room row lock serializes scheduling in one room; on PostgreSQL the
    # exclusion constraint is the last guard if anything slips past it.
    Room.objects.select_for_update().get(pk=showtime.room_id)
    check_slot(showtime=showtime)
    try:
        with transaction.atomic():
            showtime.save()
    except IntegrityError as error:
        raise ScheduleError(
            "showtime_overlap",
            _("%(room)s is busy at that time.") % {"room": showtime.room.name},
            field="starts_at",
        ) from error
    return showtime


def _ticket_types_by_code(codes) -> dict[str, TicketType]:
    """The active ticket types named by `codes`; an unknown or inactive one is refused."""
    codes = set(codes)
    found = {t.code: t for t in TicketType.objects.active().filter(code__in=codes)}
    unknown = sorted(codes - found.keys())
    if unknown:
        # No field: the API's body then carries the code (docs/api.md), as for bookings.
        raise ScheduleError(
            "unknown_ticket_type", _("No ticket type on sale is called “%(code)s”.") % {"code": unknown[0]}
        )
    return found


def _no_adult_price() -> ScheduleError:
    return ScheduleError(
        "adult_price_required",
        _("No price card covers this start: give the adult price."),
        field="price",
    )


def showtime_prices_for(
    *, starts_at: datetime, price: Decimal | None = None, prices: Mapping[str, Decimal] | None = None
) -> dict[TicketType, Decimal]:
    """The prices a showtime starting at `starts_at` gets, in three layers: the
    highest-priority card covering its local start, then `price` (the adult one),
    then `prices` per ticket type code. Scheduling one showtime or a series uses this."""
    return pricer(price=price, prices=prices)(starts_at)


def pricer(
    *, price: Decimal | None = None, prices: Mapping[str, Decimal] | None = None
) -> Callable[[datetime], dict[TicketType, Decimal]]:
    """`showtime_prices_for` for many starts: the cards and the named ticket types
    are read once, here, so a series costs no more queries than one showtime."""
    explicit = dict(prices or {})
    if price is not None:
        explicit.setdefault(ADULT, price)
    types = _ticket_types_by_code(explicit)
    given = {code: (types[code], amount) for code, amount in explicit.items()}
    cards = price_cards()

    def prices_at(starts_at: datetime) -> dict[TicketType, Decimal]:
        chosen = {t.code: (t, amount) for t, amount in card_prices_for(starts_at, cards=cards).items()}
        chosen.update(given)
        if ADULT not in chosen:
            raise _no_adult_price()
        return dict(chosen.values())

    return prices_at


def adult_price_of(prices: Mapping[TicketType, Decimal]) -> Decimal:
    """The adult price among fixed `prices` (`showtime_prices_for` always gives one)."""
    return next(amount for ticket_type, amount in prices.items() if ticket_type.is_adult)


def _save_prices(showtime: Showtime, prices: Mapping[TicketType, Decimal]) -> None:
    ShowtimePrice.objects.filter(showtime=showtime).exclude(ticket_type__in=list(prices)).delete()
    ShowtimePrice.objects.bulk_create(
        [ShowtimePrice(showtime=showtime, ticket_type=t, price=amount) for t, amount in prices.items()],
        update_conflicts=True,
        unique_fields=["showtime", "ticket_type"],
        update_fields=["price"],
    )


@transaction.atomic
def showtime_schedule(
    *,
    movie: Movie,
    room: Room,
    starts_at: datetime,
    price: Decimal | None = None,
    prices: Mapping[str, Decimal] | None = None,
) -> Showtime:
    """Schedule a showtime at the prices `showtime_prices_for` gives it."""
    fixed = showtime_prices_for(starts_at=starts_at, price=price, prices=prices)
    return schedule_priced(movie=movie, room=room, starts_at=starts_at, prices=fixed)


@transaction.atomic
def schedule_priced(
    *, movie: Movie, room: Room, starts_at: datetime, prices: Mapping[TicketType, Decimal]
) -> Showtime:
    """Schedule a showtime at `prices` already fixed (`showtime_prices_for`, or a
    series' preview), so a series does not price each start again."""
    showtime = _save_slot(Showtime(movie=movie, room=room, starts_at=starts_at, price=adult_price_of(prices)))
    _save_prices(showtime, prices)
    return showtime


@transaction.atomic
def showtime_update(
    *,
    showtime: Showtime,
    movie: Movie | None = None,
    room: Room | None = None,
    starts_at: datetime | None = None,
    price: Decimal | None = None,
    prices: Mapping[str, Decimal | None] | None = None,
) -> Showtime:
    """Reschedule a showtime (another start, room, movie or prices); a booked one
    only changes its prices (check_slot says why), which apply to tickets sold from
    then on. `price` is the adult price; `prices` set others by code (None: no
    longer offered); types not named keep theirs."""
    showtime = Showtime.objects.select_for_update().select_related("movie", "room").get(pk=showtime.pk)
    if showtime.is_cancelled:
        raise ScheduleError("session_cancelled", _("This session is cancelled and cannot be changed."))
    slot_changes = (
        (movie is not None and movie.pk != showtime.movie_id)
        or (room is not None and room.pk != showtime.room_id)
        or (starts_at is not None and starts_at != showtime.starts_at)
    )
    if movie is not None:
        showtime.movie = movie
    if room is not None:
        showtime.room = room
    if starts_at is not None:
        showtime.starts_at = starts_at
    if price is not None or prices:
        _change_prices(showtime, price=price, prices=prices or {})
    if slot_changes:
        return _save_slot(showtime)
    showtime.save()
    return showtime


def _change_prices(
    showtime: Showtime, *, price: Decimal | None, prices: Mapping[str, Decimal | None]
) -> None:
    lines = showtime.prices.select_related("ticket_type")
    current = {line.ticket_type.code: (line.ticket_type, line.price) for line in lines}
    wanted = dict(prices)
    if price is not None:
        wanted.setdefault(ADULT, price)
    if ADULT in wanted and wanted[ADULT] is None:
        raise _no_adult_price()
    types = _ticket_types_by_code(code for code, amount in wanted.items() if amount is not None)
    for code, amount in wanted.items():
        if amount is None:
            current.pop(code, None)
        else:
            current[code] = (types[code], amount)
    fixed = dict(current.values())
    showtime.price = adult_price_of(fixed)
    _save_prices(showtime, fixed)
    # What caches of its prices, and of the pages showing them, are keyed on
    # (bookings/selectors.py); the row is locked, so adding to what was read is safe.
    showtime.seats_version += 1
    showtime.prices_version += 1


def showtime_delete(*, showtime: Showtime) -> None:
    try:
        showtime.delete()
    except models.ProtectedError as error:
        raise ScheduleError(
            "session_has_bookings",
            _("This session has bookings, so it cannot be deleted: cancel it instead."),
        ) from error
