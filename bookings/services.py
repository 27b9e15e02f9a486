"""The only code that writes bookings: the pages, the admin and the API call these.

Each write is one durable transaction that first locks the showtime row, so
the checks and writes of one showtime are serialized; the partial unique
constraint on active tickets stays underneath as the last guard.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from functools import cache, partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, models, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django_tasks import task

from bookings import emails
from bookings.errors import BookingError
from bookings.models import (
    WAITLIST_LIVE,
    Booking,
    BookingStatus,
    Hold,
    HoldSeat,
    HoldStatus,
    Ticket,
    TicketRelease,
    WaitlistEntry,
    WaitlistStatus,
    accessible_release_at,
    new_booking_code,
    sales_close_at,
    seat_held_until,
    seat_taken,
)
from bookings.prices import Offer, PricedTicket, check_adult_present, offer_for, price_change, total_of
from bookings.sales import sales_add, sales_update
from bookings.seating import Place, best_seats, new_orphans, orphan_free_choice
from bookings.selectors import read_seat_states, showtime_offer
from cinema.ids import MAX_ID
from cinema.postgres import is_violation
from cinema.prepared import Prepared, QueryShape, insert
from theaters.models import Seat, SeatKind, Showtime, ShowtimeStatus

# The constraints whose violation the writes below answer for (see booking_create).
SEAT_SOLD_ONCE, SEAT_SOLD_ONCE_COLUMNS = (
    "bookings_ticket_seat_sold_once",
    "bookings_ticket.showtime_id, bookings_ticket.seat_id",
)
CODE_UNIQUE, CODE_UNIQUE_COLUMNS = "bookings_booking_code_key", "bookings_booking.code"
HELD_ONCE = "bookings_holdseat_held_once"
HELD_ONCE_COLUMNS = "bookings_holdseat.showtime_id, bookings_holdseat.seat_id"


def _join_labels(seats: Iterable[Seat | Place]) -> str:
    labels = [seat.label for seat in seats]
    if len(labels) == 1:
        return labels[0]
    return _("%(seats)s and %(last)s") % {"seats": ", ".join(labels[:-1]), "last": labels[-1]}


def _seats_unavailable(seats: list[Seat]) -> BookingError:
    return BookingError(
        "seats_unavailable",
        ngettext(
            "%(seats)s was just taken. Please choose other seats.",
            "%(seats)s were just taken. Please choose other seats.",
            len(seats),
        )
        % {"seats": _join_labels(seats)},
        seats=seats,
    )


def _require_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("A showtime's lock is only held inside a transaction: take it in one.")


def _lock_showtime(showtime_id: int) -> Showtime:
    # Every booking write of a showtime queues here, so the availability
    # check below and the insert that follows cannot interleave.
    _require_transaction()
    return (
        Showtime.objects.select_for_update(of=("self",)).select_related("movie", "room").get(pk=showtime_id)
    )


def _check_bookable(showtime: Showtime, now: datetime, *, by, conflict: bool = False) -> None:
    if showtime.status == ShowtimeStatus.CANCELLED:
        raise BookingError("session_cancelled", _("This session has been cancelled."))
    if showtime.has_started(now):
        raise BookingError("session_started", _("This session has already started."))
    if not by.is_staff and now >= sales_close_at(showtime):
        raise BookingError(
            "sales_closed",
            _("Online sales for this showtime have closed: ask at the box office."),
            conflict=conflict,
        )


def _check_seat_count(count: int) -> None:
    if count < 1:
        raise BookingError("no_seats", _("Choose at least one seat."))
    limit = settings.MAX_SEATS_PER_BOOKING
    if count > limit:
        raise BookingError(
            "too_many_seats", _("You can book at most %(limit)s seats at once.") % {"limit": limit}
        )


def _checked_seat_ids(seat_ids: Iterable[int]) -> list[int]:
    seat_ids = list(seat_ids)
    _check_seat_count(len(seat_ids))
    if len(set(seat_ids)) != len(seat_ids):
        raise BookingError("duplicate_seats", _("The same seat was chosen twice."))
    return seat_ids


def _in_range(seat_ids: list[int]) -> list[int]:
    # An id beyond the database's bigint cannot be a seat (and must not reach a query).
    return [seat_id for seat_id in seat_ids if 0 < seat_id <= MAX_ID]


def _seats_query(
    showtime: Showtime, seat_ids: list[int], *, now: datetime, user, except_booking: Booking | None = None
) -> QuerySet[Seat]:
    """The requested seats of the showtime's room in row order, each with `taken`:
    sold to another booking than `except_booking`, or kept by a hold of someone else
    than `user` that has not expired at `now`; read in the same query."""
    return (
        Seat.objects.filter(room_id=showtime.room_id, pk__in=_in_range(seat_ids))
        .annotate(
            sold=seat_taken(showtime, except_booking=except_booking),
            held_until=seat_held_until(showtime, now, except_user=user),
            taken=ExpressionWrapper(Q(sold=True) | Q(held_until__isnull=False), output_field=BooleanField()),
        )
        .order_by("row", "number")
    )


def _booking_seats_query(
    showtime: Showtime, seat_ids: list[int], *, now: datetime, user, except_booking: None = None
) -> QuerySet[Seat]:
    """`_seats_query` with what a new booking also reads under the lock, in the same
    statement: `customer_tickets`, the customer's active tickets of the showtime (the
    same on every row), and `own_hold`, their active hold of it (one at most:
    bookings_hold_one_active_per_user) where it keeps the seat."""
    theirs = _customer_tickets(user, showtime).order_by().values("showtime").annotate(n=Count("pk"))
    own_hold = HoldSeat.objects.filter(
        showtime_id=showtime.pk, seat=OuterRef("pk"), hold__user=user, hold__status=HoldStatus.ACTIVE
    ).values("hold_id")[:1]
    return _seats_query(showtime, seat_ids, now=now, user=user).annotate(
        customer_tickets=Coalesce(Subquery(theirs.values("n")), 0), own_hold=Subquery(own_hold)
    )


# A booking's seat query, compiled once per number of seats with stand-ins (no
# constant of it can equal them) and filled in per booking: compiling it costs
# several times what PostgreSQL takes to run it.
_STAND_INS = {"showtime": MAX_ID - 1, "room": MAX_ID - 2, "user": MAX_ID - 3}
_STAND_IN_NOW = datetime(1901, 2, 3, 4, 5, 6, 789, tzinfo=UTC)


def _seat_slots(seat_ids: list[int]) -> dict[str, int]:
    return {f"seat{n}": seat_id for n, seat_id in enumerate(seat_ids)}


@cache
def _booking_seats_shape(count: int) -> QueryShape:
    showtime = Showtime(pk=_STAND_INS["showtime"], room_id=_STAND_INS["room"])
    seat_ids = [MAX_ID - 100 - n for n in range(count)]
    query = _booking_seats_query(showtime, seat_ids, now=_STAND_IN_NOW, user=_STAND_INS["user"])
    return QueryShape.of(query, {**_STAND_INS, "now": _STAND_IN_NOW, **_seat_slots(seat_ids)})


def _booking_seats_prepared(showtime: Showtime, seat_ids: list[int], *, now: datetime, user) -> Prepared:
    """`_booking_seats_query` ready to send, filled in from its shape for that many seats."""
    if _in_range(seat_ids) != seat_ids:  # an id that cannot be a seat: the count refuses it
        return Prepared.of(_booking_seats_query(showtime, seat_ids, now=now, user=user))
    values = {"showtime": showtime.pk, "room": showtime.room_id, "user": user.pk, "now": now}
    return _booking_seats_shape(len(seat_ids)).prepared(**values, **_seat_slots(seat_ids))


def _seats_for(
    showtime: Showtime,
    seat_ids: Iterable[int],
    *,
    now: datetime,
    user,
    except_booking: Booking | None = None,
    query: Callable[..., QuerySet[Seat]] = _seats_query,
    prepared: tuple[int, Prepared] | None = None,
) -> list[Any]:
    """Validate the requested seats and return them as `query` reads them, or as
    `prepared` does: (room id, that query compiled before the lock) for the room the
    showtime still plays in."""
    seat_ids = _checked_seat_ids(seat_ids)
    if prepared is not None and prepared[0] == showtime.room_id:
        seats = prepared[1].instances()
    else:
        seats = list(query(showtime, seat_ids, now=now, user=user, except_booking=except_booking))
    if len(seats) != len(seat_ids):
        raise BookingError(
            "seat_not_in_room",
            _("Some of the chosen seats are not in %(room)s.") % {"room": showtime.room.name},
        )
    return seats


def _refuse_taken(seats: list[Any]) -> None:
    blocked = [seat for seat in seats if seat.blocked]
    if blocked:
        raise BookingError(
            "seats_unavailable",
            ngettext(
                "%(seats)s is not for sale. Please choose other seats.",
                "%(seats)s are not for sale. Please choose other seats.",
                len(blocked),
            )
            % {"seats": _join_labels(blocked)},
            seats=blocked,
        )
    taken = [seat for seat in seats if seat.taken]
    if taken:
        raise _seats_unavailable(taken)


def not_enough_seats(count: int) -> BookingError:
    return BookingError(
        "not_enough_seats",
        ngettext(
            "There is not %(count)s seat free for this showtime.",
            "There are not %(count)s seats free for this showtime.",
            count,
        )
        % {"count": count},
    )


def _check_seat_rules(
    showtime: Showtime, seats: list[Seat], *, now: datetime, by, user, except_booking: Booking | None = None
) -> None:
    """The accessible seating and orphan rules (docs/design.md), for customers: staff
    seat people as they see fit."""
    if by.is_staff:
        return
    kinds = {seat.kind for seat in seats}
    if (
        SeatKind.COMPANION in kinds
        and SeatKind.WHEELCHAIR not in kinds
        and now < accessible_release_at(showtime)
    ):
        minutes = settings.ACCESSIBLE_RELEASE_MINUTES
        raise BookingError(
            "companion_needs_wheelchair",
            _(
                "A companion seat is kept for the companion of a wheelchair user: choose it together with a "
                "wheelchair space, or come back from %(minutes)s minutes before the start, when it goes on "
                "general sale."
            )
            % {"minutes": minutes},
        )
    if settings.ORPHAN_SEAT_RULE != "on":
        return
    rows = read_seat_states(showtime, now, except_booking=except_booking, except_user=user).open_rows
    if not new_orphans(rows, {seat.pk for seat in seats}) or orphan_free_choice(rows, len(seats)) is None:
        return
    best = best_seats(rows, len(seats))
    assert best is not None  # an orphan-free choice of that many exists
    raise BookingError(
        "orphan_seat",
        _(
            "These seats would leave a single seat on its own, which nobody books. "
            "Please choose seats that leave no gap of one, such as %(seats)s."
        )
        % {"seats": _join_labels(best.places)},
        suggested=list(best.places),
    )


def _customer_tickets(user, showtime: Showtime, except_booking: Booking | None = None) -> QuerySet[Ticket]:
    theirs = Ticket.objects.filter(showtime_id=showtime.pk, booking__user=user, active=True)
    return theirs if except_booking is None else theirs.exclude(booking_id=except_booking.pk)


def _check_customer_limit(
    *,
    user,
    showtime: Showtime,
    wanted: int,
    by,
    except_booking: Booking | None = None,
    already: int | None = None,
) -> None:
    """One customer holds at most MAX_SEATS_PER_CUSTOMER seats of a showtime, over all
    their bookings: one free account must not be able to sell a showtime out. Staff are
    exempt. `already`: their seats of it as read with the requested ones, if they were."""
    if by.is_staff:
        return
    limit = settings.MAX_SEATS_PER_CUSTOMER
    if already is None:
        already = _customer_tickets(user, showtime, except_booking).count()
    if already + wanted > limit:
        raise BookingError(
            "customer_limit",
            (
                _("You can have at most %(limit)s seats for one showtime, and you already have %(already)s.")
                if already
                else _("You can have at most %(limit)s seats for one showtime.")
            )
            % {"limit": limit, "already": already},
        )


def _issue_tickets(booking: Booking, priced: list[PricedTicket]) -> list[Ticket]:
    return insert(
        [
            Ticket(
                booking=booking,
                showtime_id=booking.showtime_id,
                seat=ticket.seat,
                ticket_type=ticket.ticket_type,
                price=ticket.price,
            )
            for ticket in priced
        ]
    )


def _priced(
    showtime: Showtime, seats: list[Seat], ticket_types: Mapping[int, str] | None, offer: Offer | None = None
) -> list[PricedTicket]:
    """`seats` at the showtime's prices now (read under its lock, unless `offer` is
    known to be current), of the types named."""
    priced = (offer or offer_for(showtime)).price(seats, ticket_types)
    check_adult_present(ticket.ticket_type for ticket in priced)
    return priced


@cache
def _lock_moving_version_sql() -> str:
    q = connection.ops.quote_name
    table, version = q(Showtime._meta.db_table), q("seats_version")
    # The columns named, not *: a prepared statement's result must keep its shape
    # when a migration adds a column under a running process.
    columns = ", ".join(q(field.column) for field in Showtime._meta.concrete_fields if field.column)
    return f"UPDATE {table} SET {version} = {version} + 1 WHERE {q('id')} = %s RETURNING {columns}"


def _lock_showtime_moving_its_version(showtime: Showtime) -> Showtime:
    """`_lock_showtime` and `_bump_seats_version` in one statement, for a write that
    changes its seats (a refusal rolls both back). The movie and room read with
    `showtime` stay on it while the locked row still names them."""
    _require_transaction()
    rows = Prepared(_lock_moving_version_sql(), (showtime.pk,), DEFAULT_DB_ALIAS, Showtime).instances()
    if not rows:
        raise Showtime.DoesNotExist(f"No showtime {showtime.pk}.")
    locked = rows[0]
    for relation in (Showtime.movie, Showtime.room):
        field = relation.field
        if field.is_cached(showtime) and getattr(showtime, field.attname) == getattr(locked, field.attname):
            field.set_cached_value(locked, field.get_cached_value(showtime))
    return locked


def _bump_seats_version(showtime: Showtime) -> None:
    # Under the showtime's lock, in the same transaction as the ticket writes:
    # a reader that sees the new version sees the new tickets too, so seat
    # maps cached by version (bookings/selectors.py) are never stale.
    Showtime.objects.filter(pk=showtime.pk).update(seats_version=F("seats_version") + 1)


# A fresh booking code can collide with an existing one (at a million bookings,
# about once in a million): the whole transaction is then tried again with
# another code. Only a writer that bypassed the showtime lock could trip the
# seat constraint; any other constraint failing is a bug, never "seats taken".
CODE_ATTEMPTS = 3


def booking_create(
    *, user, showtime: Showtime, seat_ids: Iterable[int], ticket_types: Mapping[int, str] | None = None
) -> Booking:
    """Book seats for `user`, each of the ticket type `ticket_types` names by seat id
    (adult when unnamed) at the showtime's price for it now; total = their sum."""
    seat_ids = _checked_seat_ids(seat_ids)
    # What needs no lock comes before it: the seats' query compiled (holds that
    # expire while it waits count as holding: safe), the prices as last read.
    seats_query = (
        showtime.room_id,
        _booking_seats_prepared(showtime, seat_ids, now=timezone.now(), user=user),
    )
    offer, offer_version = showtime_offer(showtime), showtime.prices_version
    for _attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic(durable=True):
                showtime = _lock_showtime_moving_its_version(showtime)
                now = timezone.now()
                _check_bookable(showtime, now, by=user)
                seats = _seats_for(
                    showtime, seat_ids, now=now, user=user, query=_booking_seats_query, prepared=seats_query
                )
                already = seats[0].customer_tickets
                _check_customer_limit(
                    user=user, showtime=showtime, wanted=len(seats), by=user, already=already
                )
                _refuse_taken(seats)
                _check_seat_rules(showtime, seats, now=now, by=user, user=user)
                # Prices change only with their version: unmoved since, the offer is current.
                current = offer if showtime.prices_version == offer_version else None
                priced = _priced(showtime, seats, ticket_types, current)
                booking = _book(user=user, showtime=showtime, priced=priced)
                # The customer's own hold of any of these seats is used up by this booking.
                own_holds = sorted({seat.own_hold for seat in seats if seat.own_hold is not None})
                if own_holds:
                    _end_holds(own_holds, now=now, status=HoldStatus.BOOKED, booking=booking)
                emails.booking_mail_on_commit([booking.pk], emails.CONFIRMED)
            return booking
        except IntegrityError as error:
            if is_violation(error, constraint=SEAT_SOLD_ONCE, sqlite_columns=SEAT_SOLD_ONCE_COLUMNS):
                raise _seats_unavailable(seats) from error
            if not is_violation(error, constraint=CODE_UNIQUE, sqlite_columns=CODE_UNIQUE_COLUMNS):
                raise
    raise RuntimeError(f"No free booking code in {CODE_ATTEMPTS} draws.")


def _book(*, user, showtime: Showtime, priced: list[PricedTicket]) -> Booking:
    """Insert the booking and its priced tickets (under the showtime's lock)."""
    [booking] = insert(
        [
            Booking(
                user=user,
                showtime=showtime,
                code=new_booking_code(),
                total_price=total_of(ticket.price for ticket in priced),
                language=get_language() or "",
            )
        ]
    )
    booking.ticket_list = _issue_tickets(booking, priced)
    booking.checked_in_at = None
    sales_add(booking=booking, tickets=booking.ticket_list)
    return booking


def _lock_booking(booking: Booking) -> tuple[Booking, Showtime]:
    showtime = _lock_showtime(booking.showtime_id)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    booking.showtime = showtime
    return booking, showtime


# What a refusal after the cut-off says was refused, by the action asked for.
CUTOFF_REFUSALS = {
    "change": gettext_lazy("Bookings can only be changed until %(minutes)s minutes before the start."),
    "cancel": gettext_lazy("Bookings can only be cancelled until %(minutes)s minutes before the start."),
    "change or cancel": gettext_lazy(
        "Bookings can only be changed or cancelled until %(minutes)s minutes before the start."
    ),
}


def _check_changeable(booking: Booking, by, now: datetime, *, action: str) -> None:
    if not by.is_staff and booking.user_id != by.pk:
        raise PermissionDenied(_("Only the booking's owner or staff may change it."))
    if booking.is_cancelled:
        raise BookingError("booking_cancelled", _("This booking is already cancelled."))
    if by.is_staff:
        return
    if now >= booking.change_cutoff:
        minutes = settings.BOOKING_CHANGE_CUTOFF_MINUTES
        raise BookingError(
            "change_cutoff_passed",
            CUTOFF_REFUSALS[action] % {"minutes": minutes},
        )


def booking_change_refusal(*, booking: Booking, by, now: datetime | None = None) -> BookingError | None:
    """Why `by` may not change or cancel `booking` now, or None; lets pages hide the buttons."""
    try:
        _check_changeable(booking, by, now or timezone.now(), action="change or cancel")
    except BookingError as error:
        return error
    return None


def booking_change_seats(
    *, booking: Booking, seat_ids: Iterable[int], by, ticket_types: Mapping[int, str] | None = None
) -> Booking:
    """Replace the booking's seats with `seat_ids` (the new full set, same showtime).

    Kept seats keep their ticket type and the price they were sold at; new ones
    are of the type `ticket_types` names (adult when unnamed) at the showtime's
    price now; the total is the sum of the tickets held.
    """
    seat_ids = list(seat_ids)
    try:
        with transaction.atomic(durable=True):
            booking, showtime = _lock_booking(booking)
            now = timezone.now()
            _check_changeable(booking, by, now, action="change")
            seats = _seats_for(showtime, seat_ids, now=now, user=booking.user, except_booking=booking)
            _check_customer_limit(
                user=booking.user, showtime=showtime, wanted=len(seats), by=by, except_booking=booking
            )
            _refuse_taken(seats)
            _check_seat_rules(showtime, seats, now=now, by=by, user=booking.user, except_booking=booking)

            held = {t.seat_id: t for t in booking.tickets.filter(active=True).select_related("ticket_type")}
            kept, new = price_change(offer_for(showtime), held, seats, ticket_types)
            wanted = {seat.pk for seat in seats}
            Ticket.objects.filter(pk__in=[t.pk for sid, t in held.items() if sid not in wanted]).update(
                active=False, released_at=now, released_because=TicketRelease.SEATS_CHANGED
            )
            issued = _issue_tickets(booking, new)
            booking.total_price = total_of(t.price for t in [*kept, *issued])
            booking.sequence += 1
            booking.save(update_fields=["total_price", "sequence"])
            sales_update(showtime_id=showtime.pk)
            _bump_seats_version(showtime)
            emails.booking_mail_on_commit([booking.pk], emails.CHANGED)
            if len(kept) < len(held):
                _offer_freed_seats_on_commit(showtime)
    except IntegrityError as error:
        if is_violation(error, constraint=SEAT_SOLD_ONCE, sqlite_columns=SEAT_SOLD_ONCE_COLUMNS):
            raise _seats_unavailable(seats) from error
        raise
    booking.refresh_from_db()
    return booking


def booking_cancel(*, booking: Booking, by) -> Booking:
    """Cancel: the booking stays, with who cancelled it and when; its seats are free again."""
    with transaction.atomic(durable=True):
        booking, showtime = _lock_booking(booking)
        now = timezone.now()
        _check_changeable(booking, by, now, action="cancel")
        _release(Booking.objects.filter(pk=booking.pk), by=by, now=now)
        sales_update(showtime_id=showtime.pk)
        _bump_seats_version(showtime)
        emails.booking_mail_on_commit([booking.pk], emails.CANCELLED)
        _offer_freed_seats_on_commit(showtime)
        booking.refresh_from_db()
    return booking


def _release(bookings, *, by, now: datetime) -> int:
    """Cancel confirmed `bookings` and free their seats; returns how many were cancelled."""
    bookings = bookings.filter(status=BookingStatus.CONFIRMED)
    Ticket.objects.filter(booking__in=bookings, active=True).update(
        active=False, released_at=now, released_because=TicketRelease.BOOKING_CANCELLED
    )
    return bookings.update(
        status=BookingStatus.CANCELLED, cancelled_at=now, cancelled_by=by, sequence=F("sequence") + 1
    )


def showtime_cancel(*, showtime: Showtime, by) -> int:
    """Cancel a showtime and every confirmed booking of it; returns the bookings cancelled."""
    with transaction.atomic(durable=True):
        showtime = _lock_showtime(showtime.pk)
        if showtime.status == ShowtimeStatus.CANCELLED:
            return 0
        # One mail to each moviegoer whose booking goes with the showtime.
        affected = list(showtime.bookings.confirmed().values_list("pk", flat=True))
        cancelled = _release(showtime.bookings.all(), by=by, now=timezone.now())
        sales_update(showtime_id=showtime.pk)
        emails.booking_mail_on_commit(affected, emails.CANCELLED)
        showtime.status = ShowtimeStatus.CANCELLED
        showtime.save(update_fields=["status"])
        _close_waitlist(showtime)
        _bump_seats_version(showtime)
    return cancelled


def holds_release_each(*, holds: Iterable[Hold], by) -> int:
    """Release several holds (the admin's action); returns how many were still active."""
    released = 0
    for hold in holds:
        was_active = hold.is_active()
        hold_release(hold=hold, by=by)
        released += was_active
    return released


def bookings_cancel_each(*, bookings: Iterable[Booking], by) -> int:
    """Cancel several bookings (the admin's action), each in its own transaction;
    returns how many were cancelled (those already cancelled are left as they are)."""
    cancelled = 0
    for booking in bookings:
        try:
            booking_cancel(booking=booking, by=by)
        except BookingError:
            continue
        cancelled += 1
    return cancelled


# Holds (DESIGN.md "Seat holds"). A hold's seats are kept by its HoldSeat rows
# under the partial unique constraint bookings_holdseat_held_once; tickets keep
# theirs under bookings_ticket_seat_sold_once; every write of either takes the
# showtime's lock first, so a seat is never both held and sold.


def _end_holds(
    holds: QuerySet[Hold] | list[int], *, now: datetime, status: str, booking: Booking | None = None
) -> int:
    """End `holds` (a query, or their ids) and free their seats: as `status` (with
    `booking` when booked), or as expired for those already past their expiry.
    Returns how many ended."""
    ids = holds if isinstance(holds, list) else list(holds.values_list("pk", flat=True).distinct())
    if not ids:
        return 0
    HoldSeat.objects.filter(hold_id__in=ids, active=True).update(active=False)
    expired = Q(expires_at__lte=now)
    changes = {"status": Case(When(expired, then=Value(HoldStatus.EXPIRED)), default=Value(status))}
    if booking is not None:
        changes["booking"] = Case(
            When(expired, then=None), default=Cast(Value(booking.pk), models.BigIntegerField())
        )
    return Hold.objects.filter(pk__in=ids).update(**changes)


def _free_expired_hold_seats(showtime: Showtime, now: datetime) -> None:
    # An expired hold already frees its seats for every read; its rows leave the
    # unique constraint here, just before a new hold may want those seats.
    HoldSeat.objects.filter(showtime_id=showtime.pk, active=True, hold__expires_at__lte=now).update(
        active=False
    )


def _hold_expiry(showtime: Showtime, now: datetime) -> datetime:
    """HOLD_MINUTES from now, never past the sales cut-off."""
    return min(now + timedelta(minutes=settings.HOLD_MINUTES), sales_close_at(showtime))


def hold_create(
    *, user, showtime: Showtime, seat_ids: Iterable[int] | None = None, count: int | None = None
) -> Hold:
    """Keep `seat_ids`, or the best `count` seats, for `user` for HOLD_MINUTES, replacing
    their hold of this showtime."""
    with transaction.atomic(durable=True):
        showtime = _lock_showtime_moving_its_version(showtime)
        now = timezone.now()
        hold, replaced = _hold_seats(
            user=user, showtime=showtime, seat_ids=seat_ids, count=count, now=now, expires_at=None
        )
        if replaced:  # the seats of the hold it replaced may be free now
            _offer_freed_seats_on_commit(showtime)
    # Seats it keeps come free at its expiry, with no write: the waiting list's turn then.
    _offer_freed_seats_on_commit(showtime, at=hold.expires_at)
    return hold


def _hold_seats(
    *, user, showtime: Showtime, seat_ids, count: int | None, now: datetime, expires_at: datetime | None
) -> tuple[Hold, bool]:
    """Under the showtime's lock: replace `user`'s hold of it with one of `seat_ids`
    (or the best `count`) until `expires_at` (None: HOLD_MINUTES from now). Also
    says whether it replaced an active hold."""
    _check_bookable(showtime, now, by=user)
    replaced = _end_holds(
        Hold.objects.filter(user=user, showtime=showtime, status=HoldStatus.ACTIVE),
        now=now,
        status=HoldStatus.RELEASED,
    )
    _free_expired_hold_seats(showtime, now)
    if count is not None:
        seat_ids = _best_seat_ids(showtime, count, now=now, user=user)
    seat_ids = _checked_seat_ids(seat_ids or [])
    # The seats with the customer's tickets of the showtime, in one statement sent
    # after their old hold ended (their own holds never count as holding a seat).
    prepared = (showtime.room_id, _booking_seats_prepared(showtime, seat_ids, now=now, user=user))
    seats = _seats_for(showtime, seat_ids, now=now, user=user, prepared=prepared)
    _check_customer_limit(
        user=user, showtime=showtime, wanted=len(seats), by=user, already=seats[0].customer_tickets
    )
    _refuse_taken(seats)
    _check_seat_rules(showtime, seats, now=now, by=user, user=user)
    [hold] = insert(
        [Hold(user=user, showtime=showtime, expires_at=expires_at or _hold_expiry(showtime, now))]
    )
    try:
        hold.seat_list = insert([HoldSeat(hold=hold, showtime=showtime, seat=seat) for seat in seats])
    except IntegrityError as error:
        # Only reachable if a writer bypassed the showtime lock: the constraint held (the
        # exception rolls the caller's transaction back).
        if is_violation(error, constraint=HELD_ONCE, sqlite_columns=HELD_ONCE_COLUMNS):
            raise _seats_unavailable(seats) from error
        raise
    return hold, bool(replaced)


def _best_seat_ids(showtime: Showtime, count: int, *, now: datetime, user) -> list[int]:
    _check_seat_count(count)
    best = best_seats(read_seat_states(showtime, now, except_user=user).open_rows, count)
    if best is None:
        raise not_enough_seats(count)
    return [place.pk for place in best.places]


def _lock_hold(hold: Hold, by, *, staff_may: bool = False) -> tuple[Hold, Showtime]:
    showtime = _lock_showtime(hold.showtime_id)
    hold = Hold.objects.select_for_update(of=("self",)).select_related("user").get(pk=hold.pk)
    if hold.user_id != by.pk and not (staff_may and by.is_staff):
        raise PermissionDenied(_("Only the customer who holds the seats may use the hold."))
    hold.showtime = showtime
    return hold, showtime


def _refuse_ended(hold: Hold, now: datetime) -> None:
    if not hold.is_active(now):
        raise BookingError(
            "hold_expired",
            _("Your seats are no longer held for you: the hold has ended. Please choose again."),
        )


def hold_renew(*, hold: Hold, by) -> Hold:
    """Keep the seats HOLD_MINUTES longer from now (never past the cut-off), HOLD_RENEWALS times."""
    with transaction.atomic(durable=True):
        hold, showtime = _lock_hold(hold, by)
        now = timezone.now()
        _refuse_ended(hold, now)
        _check_bookable(showtime, now, by=by, conflict=True)
        if hold.renewals >= settings.HOLD_RENEWALS:
            raise BookingError("hold_renewal_limit", _("This hold cannot be extended again."))
        hold.renewals += 1
        hold.expires_at = max(hold.expires_at, _hold_expiry(showtime, now))
        hold.save(update_fields=["renewals", "expires_at"])
        # Cached seat maps are valid until the earliest hold expiry they saw.
        _bump_seats_version(showtime)
    _offer_freed_seats_on_commit(showtime, at=hold.expires_at)
    return hold


def hold_release(*, hold: Hold, by) -> Hold:
    """Give the held seats up at once (an ended hold stays as it is); staff may release anyone's."""
    with transaction.atomic(durable=True):
        hold, showtime = _lock_hold(hold, by, staff_may=True)
        if hold.status == HoldStatus.ACTIVE:
            _end_holds(Hold.objects.filter(pk=hold.pk), now=timezone.now(), status=HoldStatus.RELEASED)
            _bump_seats_version(showtime)
            _offer_freed_seats_on_commit(showtime)
        hold.refresh_from_db()
    return hold


def booking_create_from_hold(*, hold: Hold, by, ticket_types: Mapping[int, str] | None = None) -> Booking:
    """Book exactly the held seats, while the hold is `by`'s own and has not ended,
    each of the type `ticket_types` names by seat id (adult when unnamed)."""
    with transaction.atomic(durable=True):
        hold, showtime = _lock_hold(hold, by)
        now = timezone.now()
        _refuse_ended(hold, now)
        _check_bookable(showtime, now, by=by)
        seats = [
            held.seat
            for held in hold.seats.filter(active=True)
            .select_related("seat")
            .order_by("seat__row", "seat__number")
        ]
        if ticket_types and not set(ticket_types) <= {seat.pk for seat in seats}:
            raise BookingError("seat_not_held", _("Tickets can only be for the seats you hold."))
        _check_customer_limit(user=by, showtime=showtime, wanted=len(seats), by=by)
        booking = _book(user=by, showtime=showtime, priced=_priced(showtime, seats, ticket_types))
        _end_holds(Hold.objects.filter(pk=hold.pk), now=now, status=HoldStatus.BOOKED, booking=booking)
        # A waiting list's offer taken up.
        WaitlistEntry.objects.filter(hold=hold, status=WaitlistStatus.OFFERED).update(
            status=WaitlistStatus.BOOKED
        )
        _bump_seats_version(showtime)
        emails.booking_mail_on_commit([booking.pk], emails.CONFIRMED)
    return booking


# The waiting list (DESIGN.md "Waiting list"). Joins, leaves and offers of a
# showtime take its lock like every other write of its seats, so an offer is made
# once per freed seat however many workers run `offer_freed_seats`.
WAITLIST_ONCE = "bookings_waitlist_once_per_user"
WAITLIST_ONCE_COLUMNS = "bookings_waitlistentry.user_id, bookings_waitlistentry.showtime_id"


def waitlist_join(*, user, showtime: Showtime, party_size: int) -> WaitlistEntry:
    """Queue `user` for a sold-out showtime with a party of `party_size`, once."""
    limit = settings.MAX_SEATS_PER_BOOKING
    if not 1 <= party_size <= limit:
        raise BookingError(
            "party_size", _("A party is 1 to %(limit)s people.") % {"limit": limit}, field="party_size"
        )
    try:
        with transaction.atomic(durable=True):
            showtime = _lock_showtime(showtime.pk)
            now = timezone.now()
            _check_bookable(showtime, now, by=user)
            if WaitlistEntry.objects.live().filter(user=user, showtime=showtime).exists():
                raise _already_waiting()
            if not read_seat_states(showtime, now, except_user=user).sold_out:
                raise BookingError(
                    "seats_available", _("There are seats free for this showtime: book them now.")
                )
            entry = WaitlistEntry.objects.create(
                user=user, showtime=showtime, party_size=party_size, language=get_language() or ""
            )
    except IntegrityError as error:
        # Two joins of one customer that both passed the check: the constraint decides.
        if is_violation(error, constraint=WAITLIST_ONCE, sqlite_columns=WAITLIST_ONCE_COLUMNS):
            raise _already_waiting() from error
        raise
    return WaitlistEntry.objects.with_position().select_related("hold").get(pk=entry.pk)


def _already_waiting() -> BookingError:
    return BookingError("already_waiting", _("You are already on the waiting list for this showtime."))


def waitlist_leave(*, entry: WaitlistEntry, by) -> WaitlistEntry:
    """Take the entry off its list (owner or staff); an offer's seats are given up and
    go to the next in line. An entry already off the list stays as it is."""
    with transaction.atomic(durable=True):
        showtime = _lock_showtime(entry.showtime_id)
        entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.user_id != by.pk and not by.is_staff:
            raise PermissionDenied(_("Only the entry's owner or staff may take it off the list."))
        if entry.status in WAITLIST_LIVE:
            if entry.hold_id is not None and entry.status == WaitlistStatus.OFFERED:
                now = timezone.now()
                _end_holds(
                    Hold.objects.filter(pk=entry.hold_id, status=HoldStatus.ACTIVE),
                    now=now,
                    status=HoldStatus.RELEASED,
                )
                _bump_seats_version(showtime)
                _offer_freed_seats_on_commit(showtime)
            entry.status = WaitlistStatus.LEFT
            entry.save(update_fields=["status"])
    return entry


def waitlist_leave_each(*, entries: Iterable[WaitlistEntry], by) -> int:
    """Take several entries off (the admin's action); returns how many were on a list."""
    left = 0
    for entry in entries:
        was_live = entry.status in WAITLIST_LIVE
        waitlist_leave(entry=entry, by=by)
        left += was_live
    return left


def _offer_freed_seats_on_commit(showtime: Showtime, *, at: datetime | None = None) -> None:
    """Run `offer_freed_seats` once this transaction commits, or at `at` (when a hold
    runs out with no write to notice it). A queue that cannot wait (the immediate
    backend of the tests) gets no timed run: the tests call the task at that time."""
    offer = offer_freed_seats
    if at is not None:
        if not offer.get_backend().supports_defer:
            return
        offer = offer.using(run_after=at)
    transaction.on_commit(partial(offer.enqueue, showtime.pk))


def _offer_expiry(showtime: Showtime, now: datetime) -> datetime:
    return min(now + timedelta(minutes=settings.WAITLIST_OFFER_MINUTES), sales_close_at(showtime))


@task
def offer_freed_seats(showtime_id: int) -> int:
    """Hand the showtime's free seats to its waiting list; returns how many offers were made.

    Offers that ran out unbooked become expired; then, in queue order, each waiting
    entry whose party fits (the best seats, bookings/seating.py, find that many,
    together or not) is offered them as a hold for WAITLIST_OFFER_MINUTES, never
    past the sales cut-off, and mailed a link to its checkout. An entry that does
    not fit keeps its place for the next seats to come free.
    """
    with transaction.atomic(durable=True):
        showtime = _lock_showtime(showtime_id)
        now = timezone.now()
        entries = list(WaitlistEntry.objects.live().filter(showtime=showtime).select_related("hold", "user"))
        for ended in (WaitlistStatus.EXPIRED, WaitlistStatus.BOOKED):
            ids = [entry.pk for entry in entries if entry.current_status(now) == ended]
            if ids:
                WaitlistEntry.objects.filter(pk__in=ids).update(status=ended)
        if showtime.status == ShowtimeStatus.CANCELLED or now >= sales_close_at(showtime):
            return 0
        offered = 0
        # Parties larger than the seats open cannot fit: skipped without an attempt,
        # unless their own hold (which an offer replaces) counts as free for them.
        open_seats = _open_seat_count(showtime, now)
        holders = set(Hold.objects.active(now).filter(showtime=showtime).values_list("user_id", flat=True))
        for entry in entries:
            if entry.status != WaitlistStatus.WAITING:
                continue
            if entry.party_size > open_seats and entry.user_id not in holders:
                continue
            try:
                with transaction.atomic():  # a refusal undoes this entry's attempt only
                    hold, replaced = _hold_seats(
                        user=entry.user,
                        showtime=showtime,
                        seat_ids=None,
                        count=entry.party_size,
                        now=now,
                        expires_at=_offer_expiry(showtime, now),
                    )
            except BookingError:
                continue  # no room for this party (or it may not book it): it keeps its place
            entry.status, entry.hold = WaitlistStatus.OFFERED, hold
            entry.save(update_fields=["status", "hold"])
            emails.waitlist_offer_mail_on_commit(hold)
            _offer_freed_seats_on_commit(showtime, at=hold.expires_at)
            offered += 1
            holders.add(entry.user_id)
            # A replaced hold of this customer's freed its seats: count them afresh.
            open_seats = _open_seat_count(showtime, now) if replaced else open_seats - entry.party_size
        if offered:
            _bump_seats_version(showtime)
    return offered


def _open_seat_count(showtime: Showtime, now: datetime) -> int:
    """How many seats the best seats may pick from now (none kept for anyone)."""
    return sum(len(row.places) for row in read_seat_states(showtime, now).open_rows)


def _close_waitlist(showtime: Showtime) -> None:
    """A cancelled showtime's queue ends with it (under its lock)."""
    WaitlistEntry.objects.live().filter(showtime=showtime).update(status=WaitlistStatus.EXPIRED)
