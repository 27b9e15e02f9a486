"""The filters of the session and booking lists (API.md "Sessions", "Bookings")."""

from __future__ import annotations

from datetime import date, datetime

from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters

from bookings.models import BookingStatus
from cinema.ids import MAX_ID
from cinema.localtime import local_day_bounds, local_midnight
from theaters.models import ShowtimeQuerySet

# Days at the ends of the calendar have no "next day" to bound them.
FIRST_YEAR, LAST_YEAR = 1900, 9998


def validate_year(value: date) -> None:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise forms.ValidationError(
            _("Enter a date between the years %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )


class LocalDayField(forms.DateField):
    default_validators = [validate_year]


class DateOrDateTimeField(forms.Field):
    """`2026-12-01` or an ISO 8601 datetime (naive ones are in the theater's time zone)."""

    default_validators = [validate_year]

    def to_python(self, value: str | None) -> date | datetime | None:
        if value in self.empty_values:
            return None
        value = value.strip()
        try:
            parsed = parse_date(value) or parse_datetime(value)
        except ValueError:  # well-formed but impossible, e.g. month 13
            parsed = None
        if parsed is None:
            raise forms.ValidationError(_("Enter a date (YYYY-MM-DD) or an ISO 8601 datetime."))
        if isinstance(parsed, datetime) and timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)
        return parsed


class LocalDayFilter(filters.DateFilter):
    field_class = LocalDayField


class DateOrDateTimeFilter(filters.Filter):
    field_class = DateOrDateTimeField


class IdFilter(filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=MAX_ID, **kwargs)


class _SessionFilter(filters.FilterSet):
    movie = IdFilter(field_name="movie_id", help_text="A movie id.")
    room = IdFilter(field_name="room_id", help_text="A room id.")
    date = LocalDayFilter(method="filter_date", help_text="A local day, YYYY-MM-DD.")
    to = DateOrDateTimeFilter(
        method="filter_to", help_text="Sessions starting at or before (a date: up to that local day's end)."
    )

    def filter_queryset(self, queryset: ShowtimeQuerySet) -> ShowtimeQuerySet:
        data = self.form.cleaned_data
        if data.get("from") is None and data.get("date") is None:
            queryset = queryset.not_started()
        return super().filter_queryset(queryset)

    def filter_date(self, queryset: ShowtimeQuerySet, name: str, day: date) -> ShowtimeQuerySet:
        start, end = local_day_bounds(day)
        return queryset.filter(starts_at__gte=start, starts_at__lt=end)

    def filter_from(self, queryset: ShowtimeQuerySet, name: str, value: date | datetime) -> ShowtimeQuerySet:
        start = value if isinstance(value, datetime) else local_midnight(value)
        return queryset.filter(starts_at__gte=start)

    def filter_to(self, queryset: ShowtimeQuerySet, name: str, value: date | datetime) -> ShowtimeQuerySet:
        if isinstance(value, datetime):
            return queryset.filter(starts_at__lte=value)
        return queryset.filter(starts_at__lt=local_day_bounds(value)[1])


# `from` is a Python keyword: made with type(), as bookings.reports.BookingReportForm is.
SessionFilter = type(
    "SessionFilter",
    (_SessionFilter,),
    {
        "from": DateOrDateTimeFilter(
            method="filter_from", help_text="Sessions starting at or after (a date: that local day's start)."
        )
    },
)


class BookingFilter(filters.FilterSet):
    session = IdFilter(field_name="showtime_id", help_text="A session id.")
    user = IdFilter(field_name="user_id", help_text="A user id (staff; a user sees only their own anyway).")
    status = filters.ChoiceFilter(choices=BookingStatus.choices)
