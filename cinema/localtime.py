"""Days in the theater's time zone (`TIME_ZONE`): pages, filters and reports count local days."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone


def local_midnight(day: date) -> datetime:
    """The start of `day` in the theater's time zone, as an aware datetime."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    """`day`'s start and the next day's start: a day is 23 or 25 hours across a DST change."""
    return local_midnight(day), local_midnight(day + timedelta(days=1))
