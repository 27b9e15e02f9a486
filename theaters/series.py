"""Repeat scheduling: a series of showtimes planned from days, weekdays and local start times.

A series is expanded into local wall-clock starts in the theater's time zone
(settings.TIME_ZONE), so a 20:00 show stays at 20:00 across a daylight-saving
change (a time the clock skips, 01:30 on the spring-forward night, becomes
the instant the clock then shows, 02:30; a time it repeats in autumn is the
first of the two, as zoneinfo reads fold=0). `count` is the number of
starts planned, in date order (skipped ones are not replaced), so the
preview and the creation always agree on which starts they are about. Each
start is previewed as ok, overlap (with an existing showtime or an earlier
one of the same series) or past; creating makes the ok ones at the prices
previewed, each through `schedule_priced` in its own savepoint, so a showtime
another staff member scheduled meanwhile is reported as skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from movies.models import Movie
from pricing.models import TicketType
from theaters.models import Room, Showtime
from theaters.services import (
    MAX_YEARS_AHEAD,
    ScheduleError,
    overlap_message,
    pricer,
    schedule_priced,
)

MAX_SERIES = 200
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
OK, OVERLAP, PAST = "ok", "overlap", "past"


@dataclass(frozen=True)
class SeriesSpec:
    """What staff ask for: `weekdays` are 0 (Monday) to 6; exactly one of `last_day` and `count`."""

    movie: Movie
    room: Room
    first_day: date
    weekdays: frozenset[int]
    times: Sequence[time]
    last_day: date | None = None
    count: int | None = None
    price: Decimal | None = None
    prices: Mapping[str, Decimal] = field(default_factory=dict)


@dataclass
class Planned:
    """One start of a series: its status, why (`detail`), and once created its showtime."""

    starts_at: datetime
    status: str = OK
    detail: str = ""
    prices: dict[TicketType, Decimal] = field(default_factory=dict)
    showtime: Showtime | None = None

    @property
    def local_start(self) -> datetime:
        return timezone.localtime(self.starts_at, timezone.get_default_timezone())


def parse_start_time(text: str) -> time:
    """A local start time written "20:30" (or "9:05"); ValueError for anything else."""
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text.strip())
    if match is None:
        raise ValueError(_("“%(text)s” is not a time such as 20:30.") % {"text": text})
    try:
        return time(int(match[1]), int(match[2]))
    except ValueError as error:
        raise ValueError(_("“%(text)s” is not a time such as 20:30.") % {"text": text}) from error


def _invalid(message: str, field: str) -> ScheduleError:
    return ScheduleError("invalid_series", message, field=field)


def _check_spec(spec: SeriesSpec) -> None:
    if (spec.last_day is None) == (spec.count is None):
        raise _invalid(_("Give the last day or a count, not both."), "last_day")
    if spec.count is not None and not 1 <= spec.count <= MAX_SERIES:
        raise _invalid(_("A series has 1 to %(limit)s showtimes.") % {"limit": MAX_SERIES}, "count")
    if spec.last_day is not None and spec.last_day < spec.first_day:
        raise _invalid(_("The last day cannot be before the first day."), "last_day")
    if not spec.weekdays or not spec.weekdays <= set(range(7)):
        raise _invalid(_("Choose at least one weekday."), "weekdays")
    if not spec.times:
        raise _invalid(_("Give at least one start time."), "times")
    if len(set(spec.times)) != len(spec.times):
        raise _invalid(_("A start time is given twice."), "times")


def _starts(spec: SeriesSpec) -> Iterator[datetime]:
    zone = timezone.get_default_timezone()
    times = sorted(spec.times)
    day = spec.first_day
    while spec.last_day is None or day <= spec.last_day:
        if day.weekday() in spec.weekdays:
            for at in times:
                # The zone's own rules, not a fixed offset: the wall clock holds across DST.
                # As an instant (UTC): a skipped wall time then reads as the one it becomes.
                yield datetime.combine(day, at, tzinfo=zone).astimezone(UTC)
        day += timedelta(days=1)


def plan_series(spec: SeriesSpec) -> list[datetime]:
    """The series' starts in order; at most MAX_SERIES of them, and none too far ahead."""
    _check_spec(spec)
    too_far = timezone.now() + timedelta(days=365 * MAX_YEARS_AHEAD)
    # Checked before expanding too: days near the calendar's end would overflow.
    if spec.first_day > too_far.date():
        raise _too_far_ahead()
    starts: list[datetime] = []
    for start in _starts(spec):
        if len(starts) == MAX_SERIES:
            raise _invalid(
                _("A series has at most %(limit)s showtimes: shorten it.") % {"limit": MAX_SERIES}, "last_day"
            )
        starts.append(start)
        if len(starts) == spec.count:
            break
    if not starts:
        raise _invalid(_("No day between the first and the last falls on a chosen weekday."), "weekdays")
    if starts[-1] > too_far:
        raise _too_far_ahead()
    return starts


def _too_far_ahead() -> ScheduleError:
    return ScheduleError(
        "starts_too_far_ahead",
        _("A session can be scheduled at most %(limit)s years ahead.") % {"limit": MAX_YEARS_AHEAD},
        field="first_day",
    )


def _slot(spec: SeriesSpec, starts_at: datetime) -> Showtime:
    showtime = Showtime(movie=spec.movie, room=spec.room, starts_at=starts_at)
    showtime.set_times()
    return showtime


def preview_series(spec: SeriesSpec) -> list[Planned]:
    """Each start of the series with its status and its prices (refused as a whole
    when a start has no adult price, as a single showtime is)."""
    starts = plan_series(spec)
    now = timezone.now()
    last = _slot(spec, starts[-1])
    existing = list(
        Showtime.objects.overlapping(room=spec.room, starts_at=starts[0], room_free_at=last.room_free_at)
        .select_related("movie")
        .order_by("starts_at")
    )
    accepted: list[Showtime] = []
    planned = []
    prices_at = pricer(price=spec.price, prices=spec.prices)
    for starts_at in starts:
        item = Planned(starts_at=starts_at, prices=prices_at(starts_at))
        slot = _slot(spec, starts_at)
        meets = [
            other
            for other in (*existing, *accepted)
            if other.starts_at < slot.room_free_at and other.room_free_at > slot.starts_at
        ]
        if starts_at <= now:
            item.status, item.detail = PAST, _("This start is in the past.")
        elif meets:
            other = meets[0]
            item.status = OVERLAP
            if other.pk is None:
                local = timezone.localtime(other.starts_at, timezone.get_default_timezone())
                item.detail = _("Overlaps this series’ showtime of %(start)s.") % {
                    "start": date_format(local, _("D d M H:i"))
                }
            else:
                item.detail = overlap_message(spec.room, other)
        else:
            accepted.append(slot)
        planned.append(item)
    return planned


@transaction.atomic
def series_create(spec: SeriesSpec) -> list[Planned]:
    """Create the series' ok showtimes; a start that became taken or past meanwhile
    (another staff member's showtime: the room lock and the exclusion constraint
    decide) is reported as skipped, never raised."""
    planned = preview_series(spec)
    for item in planned:
        if item.status != OK:
            continue
        try:
            # Its own savepoint (schedule_priced is atomic): a refusal undoes only it.
            # At the preview's prices: the cards were read once, under this transaction.
            item.showtime = schedule_priced(
                movie=spec.movie, room=spec.room, starts_at=item.starts_at, prices=item.prices
            )
        except ScheduleError as error:
            if error.code not in ("showtime_overlap", "starts_in_past"):
                raise
            item.status = OVERLAP if error.code == "showtime_overlap" else PAST
            item.detail = error.message
    return planned
