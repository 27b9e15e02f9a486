"""Check-in at the door (DESIGN.md "Check-in at the door"): the only code that admits
a booking or undoes an admission; `/checkin/` and `POST /api/checkins` call it.

The refusals come in the design's order: cancelled, another showtime, outside
the window, already checked in. (An unknown code never gets here: callers find
the booking by `booking_for_code` first and answer "not found".) The booking's
row lock serializes two scans of one ticket; the partial unique constraint on
live check-ins stays underneath.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from bookings.models import Booking, CheckIn, Ticket, ticket_admitted
from bookings.sales import lock_for_sales, sales_update
from cinema.admin import admin_datetime
from cinema.errors import DomainError
from cinema.localtime import local_day_bounds
from cinema.postgres import is_violation
from theaters.models import Showtime

ONE_LIVE, ONE_LIVE_COLUMNS = "bookings_checkin_one_live", "bookings_checkin.booking_id"
_IGNORED = re.compile(r"[\s\-‐-―]+")


class CheckInError(DomainError):
    """A refused admission; `context` carries what the door needs to say next."""

    conflicts = frozenset({"booking_cancelled", "wrong_session", "checkin_not_open", "already_checked_in"})

    def __init__(self, code: str, message: str, **context: Any):
        super().__init__(code, message)
        self.extra = context

    def context(self) -> dict[str, Any]:
        return {
            key: timezone.localtime(value).isoformat() if isinstance(value, datetime) else value
            for key, value in self.extra.items()
        }


CHECKIN_PERMISSION = "bookings.add_checkin"


def can_check_in(user) -> bool:
    """Staff with the check-in permission (the "Theater staff" group has it; superusers have all)."""
    return bool(user.is_authenticated and user.is_staff and user.has_perm(CHECKIN_PERMISSION))


def checkin_showtimes(day: date) -> QuerySet[Showtime]:
    """The door's choice: `day`'s scheduled showtimes, soonest first."""
    start, end = local_day_bounds(day)
    return (
        Showtime.objects.scheduled()
        .filter(starts_at__gte=start, starts_at__lt=end)
        .select_related("movie", "room")
        .order_by("starts_at", "pk")
    )


def normalize_code(text: str) -> str:
    """What staff typed or the camera read, as a booking code: case, spaces and dashes ignored."""
    return _IGNORED.sub("", text).upper()


def booking_for_code(text: str) -> Booking | None:
    code = normalize_code(text)
    if not code:
        return None
    return Booking.objects.with_details().filter(code=code).first()


def checkin_opens_at(showtime: Showtime) -> datetime:
    return showtime.starts_at - timedelta(minutes=settings.CHECKIN_OPENS_MINUTES)


def _refuse(booking: Booking, showtime: Showtime, now: datetime) -> None:
    right = booking.showtime
    if booking.is_cancelled:
        raise CheckInError("booking_cancelled", _("Booking %(code)s was cancelled.") % {"code": booking.code})
    if booking.showtime_id != showtime.pk:
        raise CheckInError(
            "wrong_session",
            _("This ticket is for %(movie)s at %(time)s in %(room)s.")
            % {"movie": right.movie.title, "time": admin_datetime(right.starts_at), "room": right.room.name},
            session=right.pk,
        )
    opens_at = checkin_opens_at(showtime)
    if now < opens_at:
        raise CheckInError(
            "checkin_not_open",
            _("Check-in opens at %(time)s.") % {"time": admin_datetime(opens_at)},
            opens_at=opens_at,
        )
    if now >= showtime.ends_at:
        # The same code after the end: the door is closed either way, and `opens_at` says when it was open.
        raise CheckInError(
            "checkin_not_open",
            _("This showtime ended at %(time)s: check-in is closed.")
            % {"time": admin_datetime(showtime.ends_at)},
            opens_at=opens_at,
        )


def _already(live: CheckIn) -> CheckInError:
    by = live.by.name or live.by.email
    return CheckInError(
        "already_checked_in",
        _("Already checked in at %(time)s by %(name)s.") % {"time": admin_datetime(live.at), "name": by},
        checked_in_at=live.at,
        checked_in_by=live.by_id,
        checked_in_by_name=by,
    )


def checkin_admit(*, booking: Booking, showtime: Showtime, by) -> CheckIn:
    """Admit `booking` to `showtime` now, or refuse with the first rule it breaks."""
    try:
        with transaction.atomic(durable=True):
            lock_for_sales(booking.showtime_id)
            # Two scans of one ticket queue here: the second sees the first's check-in.
            # Its status read under the lock; the rest (and its tickets, read already) never change here.
            locked = Booking.objects.select_for_update().values_list("status", flat=True)
            booking.status = locked.get(pk=booking.pk)
            now = timezone.now()
            _refuse(booking, showtime, now)
            live = CheckIn.objects.live().select_related("by").filter(booking=booking).first()
            if live is not None:
                raise _already(live)
            checkin = CheckIn.objects.create(booking=booking, at=now, by=by)
            sales_update(showtime_id=booking.showtime_id)
    except IntegrityError as error:
        # Only a writer that bypassed the lock gets here: the constraint held.
        if not is_violation(error, constraint=ONE_LIVE, sqlite_columns=ONE_LIVE_COLUMNS):
            raise
        raise _already(CheckIn.objects.live().select_related("by").get(booking=booking)) from error
    booking.checked_in_at = checkin.at
    return checkin


def checkin_undo(*, booking: Booking, by) -> CheckIn | None:
    """Undo the booking's live check-in (the row stays, marked undone); None when it has none."""
    with transaction.atomic(durable=True):
        lock_for_sales(booking.showtime_id)
        live = CheckIn.objects.live().select_for_update().filter(booking=booking).first()
        if live is None:
            return None
        live.undone_at, live.undone_by = timezone.now(), by
        live.save(update_fields=["undone_at", "undone_by"])
        sales_update(showtime_id=booking.showtime_id)
    booking.checked_in_at = None
    return live


@dataclass(frozen=True)
class DoorCount:
    admitted: int
    sold: int


def door_count(showtime: Showtime) -> DoorCount:
    """Tickets admitted of tickets sold: "admitted 112 of 240"."""
    counts = Ticket.objects.filter(showtime=showtime, active=True).aggregate(
        sold=Count("pk"), admitted=Count("pk", filter=Q(ticket_admitted()))
    )
    return DoorCount(admitted=counts["admitted"], sold=counts["sold"])
