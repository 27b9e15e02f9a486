"""Staff insights: sessions, bookings, tickets, revenue and occupancy by weekday,
time slot, movie or ticket type (API.md "Reports").

The one place these numbers are computed: the admin dashboard, its CSV, the
`booking_report` command and `GET /api/reports/bookings` all call it, so they
cannot disagree. The rules:

- A session counts when it is *scheduled* and starts within the range (local
  days in settings.TIME_ZONE, both ends included). A cancelled session offers
  no seats, so it is left out entirely; its bookings were cancelled with it.
- Only confirmed bookings count; their tickets are the seats they hold now and
  their revenue is their total price.
- occupancy = tickets ÷ seats offered (the room capacities of the sessions), 0–1.
- checked_in = the tickets of bookings admitted at the door (a live check-in);
  attendance = checked_in ÷ tickets, 0–1; no_shows = the tickets of sessions
  that have ended that were never admitted.
- The weekday and time-slot reports always list all their keys in natural
  order, zeroed where no session falls; the movie report lists the movies
  with sessions in the range, by title.
- By ticket type (key: its code, label: its name; every active type, in type
  order, and an inactive one only if it counts): tickets are the held seats of
  that type, revenue their prices (so the rows add up to the total revenue),
  bookings those holding at least one ticket of it (a booking with two types
  counts in both), sessions those offering it (with a price for it), and
  occupancy its tickets ÷ the seats of the sessions offering it.

Everything is aggregated in the database in one query per report, from each
session's sales by ticket type (TicketTypeSales, kept by the booking and
check-in services: bookings/sales.py), not from its bookings and tickets, so
a report over a million bookings reads tens of thousands of rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import IO

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, ExtractHour, ExtractIsoWeekDay, NullIf
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy

from bookings.models import TicketTypeSales
from cinema.csv import write_csv
from cinema.localtime import local_day_bounds, local_midnight
from cinema.money import CENT
from pricing.models import TicketType
from theaters.models import Showtime, ShowtimePrice

WEEKDAY, TIME_SLOT, MOVIE, TICKET_TYPE = "weekday", "time_slot", "movie", "ticket_type"
GROUP_BY_CHOICES = [
    (WEEKDAY, gettext_lazy("Weekday")),
    (TIME_SLOT, gettext_lazy("Time slot")),
    (MOVIE, gettext_lazy("Movie")),
    (TICKET_TYPE, gettext_lazy("Ticket type")),
]
GROUPINGS = tuple(key for key, _label in GROUP_BY_CHOICES)

# ISO weekday order: 1 = Monday.
WEEKDAYS = [
    ("monday", gettext_lazy("Monday")),
    ("tuesday", gettext_lazy("Tuesday")),
    ("wednesday", gettext_lazy("Wednesday")),
    ("thursday", gettext_lazy("Thursday")),
    ("friday", gettext_lazy("Friday")),
    ("saturday", gettext_lazy("Saturday")),
    ("sunday", gettext_lazy("Sunday")),
]
# (key, label, first local hour); each slot runs until the next one starts.
TIME_SLOTS = [
    ("morning", gettext_lazy("Morning (before 12:00)"), 0),
    ("afternoon", gettext_lazy("Afternoon (12:00–16:59)"), 12),
    ("evening", gettext_lazy("Evening (17:00–20:59)"), 17),
    ("late", gettext_lazy("Late (21:00 and after)"), 21),
]

DEFAULT_DAYS_BACK = 30
DEFAULT_DAYS_AHEAD = 30
# Keeps local midnights (and the day after `to`) representable in any time zone.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(9998, 12, 31)

# The first seven keys are the ones scripts already read (and the API's field
# names), so they stay, "sessions" included; the two columns staff asked for
# come after them, where no positional reader looks.
CSV_HEADER = [
    "key",
    "label",
    "sessions",
    "bookings",
    "tickets",
    "revenue",
    "occupancy",
    "occupancy_percent",
    "seats_offered",
    "checked_in",
    "attendance",
    "no_shows",
]


@dataclass(frozen=True)
class ReportRow:
    key: str
    label: str
    sessions: int = 0
    bookings: int = 0
    tickets: int = 0
    revenue: Decimal = Decimal("0.00")
    seats_offered: int = 0
    checked_in: int = 0
    no_shows: int = 0

    @property
    def attendance(self) -> float:
        """Tickets admitted ÷ tickets sold, 0–1, to 4 places (0 without tickets)."""
        return round(self.checked_in / self.tickets, 4) if self.tickets else 0.0

    @property
    def attendance_percent(self) -> Decimal:
        return (Decimal(str(self.attendance)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def occupancy(self) -> float:
        """Tickets ÷ seats offered, 0–1, to 4 places (0 when no seat was offered)."""
        return round(self.tickets / self.seats_offered, 4) if self.seats_offered else 0.0

    @property
    def occupancy_percent(self) -> Decimal:
        """The occupancy as a percentage to one place, rounded half up from the
        4-place fraction, so it reads the same as the fraction beside it."""
        return (Decimal(str(self.occupancy)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def occupancy_display(self) -> str:
        return f"{self.occupancy_percent}%"

    def csv_values(self) -> list[str | int]:
        return [
            self.key,
            self.label,
            self.sessions,
            self.bookings,
            self.tickets,
            f"{self.revenue:.2f}",
            f"{self.occupancy:.4f}",
            f"{self.occupancy_percent}",
            self.seats_offered,
            self.checked_in,
            f"{self.attendance:.4f}",
            self.no_shows,
        ]


@dataclass(frozen=True)
class HeatmapRow:
    """One weekday of the weekday × time-slot grid: a ReportRow per slot."""

    key: str
    label: str
    cells: list[ReportRow]


def default_report_range(today: date | None = None) -> tuple[date, date]:
    """The last 30 days and the next 30, as local dates."""
    today = today or timezone.localdate(timezone=timezone.get_default_timezone())
    return today - timedelta(days=DEFAULT_DAYS_BACK), today + timedelta(days=DEFAULT_DAYS_AHEAD)


def _report_day() -> forms.DateField:
    field = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        validators=[MinValueValidator(EARLIEST_DATE), MaxValueValidator(LATEST_DATE)],
    )
    field.widget.input_type = "date"
    return field


class _BookingReportQuery(forms.Form):
    group_by = forms.ChoiceField(choices=GROUP_BY_CHOICES)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from"].initial, self.fields["to"].initial = default_report_range()

    def clean(self) -> dict:
        cleaned = super().clean()
        default_from, default_to = default_report_range()
        if "from" in cleaned and cleaned["from"] is None:
            cleaned["from"] = default_from
        if "to" in cleaned and cleaned["to"] is None:
            cleaned["to"] = default_to
        if cleaned.get("from") and cleaned.get("to") and cleaned["from"] > cleaned["to"]:
            self.add_error("to", gettext_lazy("The end date must not be before the start date."))
        return cleaned


# `from` is a Python keyword: classes with a field of that name are made with
# type() from a dict of those fields (here, in the API's and in the sessions filter).
BookingReportForm = type(
    "BookingReportForm",
    (_BookingReportQuery,),
    {
        "__doc__": "The report's query, shared by the dashboard, the CSV, the command and the API: "
        "`group_by`, `from`, `to` (dates default to `default_report_range`).",
        "from": _report_day(),
        "to": _report_day(),
    },
)


def _scheduled_in_range(date_from: date, date_to: date) -> QuerySet[Showtime]:
    return Showtime.objects.scheduled().filter(
        starts_at__gte=local_midnight(date_from), starts_at__lt=local_day_bounds(date_to)[1]
    )


def _sold(figure: str) -> Coalesce:
    """The outer showtime's `figure` summed over its ticket types (bookings/sales.py)."""
    rows = TicketTypeSales.objects.filter(showtime=OuterRef("pk")).order_by().values("showtime")
    total = Subquery(rows.annotate(total=Sum(figure)).values("total"))
    if figure == "revenue":
        return Coalesce(
            total, Value(Decimal("0")), output_field=DecimalField(max_digits=14, decimal_places=2)
        )
    return Coalesce(total, 0)


def sessions_in_range(*, date_from: date, date_to: date) -> QuerySet[Showtime]:
    """Scheduled showtimes starting on local days `date_from`…`date_to`, each
    annotated with its confirmed bookings, their revenue and their tickets."""
    return (
        _scheduled_in_range(date_from, date_to)
        .annotate(
            # Each booking is "led" by one ticket type: summed over them, it counts once.
            session_bookings=_sold("bookings_led"),
            session_revenue=_sold("revenue"),
            session_tickets=_sold("tickets"),
            session_checked_in=_sold("checked_in"),
        )
        .annotate(
            session_no_shows=Case(
                When(ends_at__lte=timezone.now(), then=F("session_tickets") - F("session_checked_in")),
                default=Value(0),
            )
        )
    )


_TOTALS = {
    "sessions": Count("pk"),
    "bookings": Sum("session_bookings"),
    "revenue": Sum("session_revenue"),
    "tickets": Sum("session_tickets"),
    "seats_offered": Sum("room__capacity"),
    "checked_in": Sum("session_checked_in"),
    "no_shows": Sum("session_no_shows"),
}


def _row(key: str, label: str, totals: dict | None) -> ReportRow:
    if not totals or not totals["sessions"]:
        return ReportRow(key=key, label=label)
    return ReportRow(
        key=key,
        label=label,
        sessions=totals["sessions"],
        bookings=totals["bookings"],
        tickets=totals["tickets"],
        revenue=Decimal(totals["revenue"]).quantize(CENT),
        seats_offered=totals["seats_offered"],
        checked_in=totals["checked_in"],
        no_shows=totals["no_shows"],
    )


def _local_weekday() -> ExtractIsoWeekDay:
    return ExtractIsoWeekDay("starts_at", tzinfo=timezone.get_default_timezone())


def _local_time_slot() -> Case:
    hour = ExtractHour("starts_at", tzinfo=timezone.get_default_timezone())
    (first_key, _label, _hour), *later = TIME_SLOTS
    # Latest slot first: the first matching When wins.
    return Case(
        *(
            When(GreaterThanOrEqual(hour, first_hour), then=Value(key))
            for key, _label, first_hour in reversed(later)
        ),
        default=Value(first_key),
    )


def _grouped(sessions: QuerySet[Showtime], **keys) -> list[dict]:
    return list(sessions.values(**keys).annotate(**_TOTALS).order_by())


def booking_report(*, group_by: str, date_from: date, date_to: date) -> list[ReportRow]:
    """One ReportRow per weekday, time slot or movie (see the module's rules)."""
    sessions = sessions_in_range(date_from=date_from, date_to=date_to)
    if group_by == WEEKDAY:
        found = {g["group"]: g for g in _grouped(sessions, group=_local_weekday())}
        return [_row(key, label, found.get(iso)) for iso, (key, label) in enumerate(WEEKDAYS, start=1)]
    if group_by == TIME_SLOT:
        found = {g["group"]: g for g in _grouped(sessions, group=_local_time_slot())}
        return [_row(key, label, found.get(key)) for key, label, _hour in TIME_SLOTS]
    if group_by == MOVIE:
        found = _grouped(sessions, group=F("movie_id"), title=F("movie__title"))
        found.sort(key=lambda g: (g["title"].casefold(), g["group"]))
        return [_row(str(g["group"]), g["title"], g) for g in found]
    if group_by == TICKET_TYPE:
        return _by_ticket_type(date_from, date_to)
    raise ValueError(f"Unknown grouping {group_by!r}; expected one of {', '.join(GROUPINGS)}.")


def _per_type(rows: QuerySet, expression, default=0) -> Coalesce:
    """`expression` aggregated over `rows` (correlated on the outer ticket type)."""
    value = Subquery(rows.annotate(n=expression).values("n"))
    if isinstance(default, Decimal):
        return Coalesce(value, Value(default), output_field=DecimalField(max_digits=14, decimal_places=2))
    return Coalesce(value, default)


def _by_ticket_type(date_from: date, date_to: date) -> list[ReportRow]:
    """One row per ticket type (see the module's rules), in one query."""
    showtimes = _scheduled_in_range(date_from, date_to).values("pk")
    sold = TicketTypeSales.objects.filter(ticket_type=OuterRef("pk"), showtime__in=showtimes)
    sold = sold.order_by().values("ticket_type")
    ended = sold.filter(showtime__ends_at__lte=timezone.now())
    offers = ShowtimePrice.objects.filter(ticket_type=OuterRef("pk"), showtime__in=showtimes)
    offers = offers.order_by().values("ticket_type")
    types = (
        TicketType.objects.annotate(
            type_tickets=_per_type(sold, Sum("tickets")),
            type_bookings=_per_type(sold, Sum("bookings")),
            type_revenue=_per_type(sold, Sum("revenue"), Decimal("0")),
            type_checked_in=_per_type(sold, Sum("checked_in")),
            type_no_shows=_per_type(ended, Sum(F("tickets") - F("checked_in"))),
            type_sessions=_per_type(offers, Count("*")),
            type_seats=_per_type(offers, Sum("showtime__room__capacity")),
        )
        .filter(Q(active=True) | Q(type_tickets__gt=0) | Q(type_sessions__gt=0))
        .order_by("order", "pk")
    )
    return [
        ReportRow(
            key=t.code,
            label=t.name,
            sessions=t.type_sessions,
            bookings=t.type_bookings,
            tickets=t.type_tickets,
            revenue=Decimal(t.type_revenue).quantize(CENT),
            seats_offered=t.type_seats,
            checked_in=t.type_checked_in,
            no_shows=t.type_no_shows,
        )
        for t in types
    ]


def booking_report_totals(*, date_from: date, date_to: date) -> ReportRow:
    """The whole range as one row."""
    sessions = sessions_in_range(date_from=date_from, date_to=date_to)
    return _row("total", gettext_lazy("Total"), sessions.aggregate(**_TOTALS))


def occupancy_heatmap(*, date_from: date, date_to: date) -> list[HeatmapRow]:
    """Weekday × time slot: all 7 × 4 cells, zeroed where no session falls."""
    sessions = sessions_in_range(date_from=date_from, date_to=date_to)
    found = {
        (g["weekday"], g["slot"]): g
        for g in _grouped(sessions, weekday=_local_weekday(), slot=_local_time_slot())
    }
    return [
        HeatmapRow(
            key=day_key,
            label=day_label,
            cells=[
                _row(slot_key, f"{day_label} {slot_label}", found.get((iso, slot_key)))
                for slot_key, slot_label, _hour in TIME_SLOTS
            ],
        )
        for iso, (day_key, day_label) in enumerate(WEEKDAYS, start=1)
    ]


def fullest_upcoming_showtimes(*, until: date, limit: int = 20) -> list[Showtime]:
    """Scheduled showtimes from now to the end of local day `until`, fullest first,
    each with `seats_sold` and `fill` (0–1) annotated."""
    fill = Cast("seats_sold", FloatField()) / Cast(NullIf(F("room__capacity"), 0), FloatField())
    return list(
        Showtime.objects.upcoming()
        .filter(starts_at__lt=local_day_bounds(until)[1])
        .annotate(seats_sold=_sold("tickets"))
        .annotate(fill=Coalesce(fill, 0.0, output_field=FloatField()))
        .select_related("movie", "room")
        .order_by("-fill", "-seats_sold", "starts_at", "pk")[:limit]
    )


def csv_header() -> list[str]:
    """CSV_HEADER with the revenue's currency named, as "revenue (EUR)": a spreadsheet
    shows the amounts as plain decimals, so the header says what money they are."""
    return [f"revenue ({settings.CURRENCY})" if name == "revenue" else name for name in CSV_HEADER]


def write_report_csv(rows: Iterable[ReportRow], out: IO[str]) -> None:
    """The report as CSV (the dashboard's export and `booking_report --format csv`)."""
    write_csv(out, csv_header(), (row.csv_values() for row in rows))
