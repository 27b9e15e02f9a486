"""The staff insights dashboard at /admin/insights/ and its CSV export.

Both read bookings/reports.py only; charts are SVG drawn here on the server
(the Content-Security-Policy allows no inline script or style), each next to
the table that carries the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from bookings.reports import (
    GROUP_BY_CHOICES,
    TIME_SLOTS,
    WEEKDAY,
    BookingReportForm,
    ReportRow,
    booking_report,
    booking_report_totals,
    default_report_range,
    fullest_upcoming_showtimes,
    occupancy_heatmap,
    write_report_csv,
)

# Chart geometry, in SVG user units; the SVG is as wide as its box (100 %) and
# keeps this shape. Each row is a line of text (label left, value right) over a
# full-width bar: the text stays legible when a phone scales the chart down.
CHART_WIDTH = 400
CHART_MARGIN = 16
BAR_AREA = CHART_WIDTH - 2 * CHART_MARGIN
AXIS_HEIGHT = 28
ROW_HEIGHT = 44
TEXT_BASELINE = 15
BAR_TOP = 21
BAR_HEIGHT = 14
# What one line of 13-unit text holds; a label is cut to leave room for its value.
LINE_CHARS = 52
HEAT_LEVELS = 5
ISO_DATE = "%Y-%m-%d"


def staff_only(view: Callable) -> Callable:
    """The admin's own guard (login redirect, never-cache, CSRF). Logged-in customers
    never get this far: cinema.middleware.staff_only_admin answers them a 403."""
    return admin.site.admin_view(view)


def count_text(number: int) -> str:
    """An integer with the active locale's thousands separator, as `floatformat:"g"` writes it."""
    return number_format(number, force_grouping=True)


def percent_text(row: ReportRow) -> str:
    return f"{number_format(row.occupancy_percent, 1)}%"


@dataclass(frozen=True)
class Bar:
    label: str
    full_label: str
    value: str
    width: int
    y: int

    @property
    def text_y(self) -> int:
        return self.y + TEXT_BASELINE

    @property
    def bar_y(self) -> int:
        return self.y + BAR_TOP


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]

    width = CHART_WIDTH
    bar_x = CHART_MARGIN
    bar_area = BAR_AREA
    value_x = CHART_WIDTH - CHART_MARGIN
    bar_height = BAR_HEIGHT
    axis_y = AXIS_HEIGHT - 12

    @property
    def height(self) -> int:
        return AXIS_HEIGHT + ROW_HEIGHT * max(len(self.bars), 1)

    @property
    def ticks(self) -> list[dict]:
        """Marks at 0, 25, 50, 75 and 100 % occupancy: labelled on top, drawn across each bar."""
        return [
            {"x": CHART_MARGIN + BAR_AREA * percent // 100, "text": f"{percent}%"}
            for percent in range(0, 101, 25)
        ]


def _shortened(label: str, room: int) -> str:
    return label if len(label) <= room else label[: room - 1] + "…"


def occupancy_chart(title: str, rows: list[ReportRow]) -> BarChart:
    """Horizontal bars on a fixed 0–100 % scale, each labelled with its value,
    so the chart reads without colour and charts of different ranges compare."""
    bars = []
    for index, row in enumerate(rows):
        value = f"{percent_text(row)} · {count_text(row.tickets)} of {count_text(row.seats_offered)} seats"
        bars.append(
            Bar(
                label=_shortened(row.label, LINE_CHARS - len(value) - 2),
                full_label=row.label,
                value=value,
                width=round(BAR_AREA * min(row.occupancy, 1.0)),
                y=AXIS_HEIGHT + index * ROW_HEIGHT,
            )
        )
    return BarChart(title=title, bars=bars)


def heat_level(row: ReportRow) -> str:
    """A CSS class for a heatmap cell: none without showtimes, else 0–4 by occupancy."""
    if not row.sessions:
        return "none"
    return str(min(int(row.occupancy * HEAT_LEVELS), HEAT_LEVELS - 1))


class LocaleDateField(forms.DateField):
    """A day typed in the active locale's format or as YYYY-MM-DD (Django adds the
    ISO format to every locale's), always shown back as YYYY-MM-DD: the only value
    a type="date" input takes, which the browser displays in its user's locale."""

    widget = forms.DateInput(format=ISO_DATE, attrs={"type": "date"})

    def bound_data(self, data: object, initial: object) -> object:
        try:
            return self.to_python(data)
        except ValidationError:
            return data


class InsightsQueryForm(BookingReportForm):
    """The report's query as people type it; the command and the API keep YYYY-MM-DD only."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("from", "to"):
            shared = self.fields[name]
            self.fields[name] = LocaleDateField(
                required=False, initial=shared.initial, validators=shared.validators
            )


def _report_form(request: HttpRequest) -> InsightsQueryForm:
    """The query, with the dashboard's defaults written in so the inputs show them."""
    data: QueryDict = request.GET.copy()
    date_from, date_to = default_report_range()
    for name, default in (
        ("group_by", WEEKDAY),
        ("from", date_from.isoformat()),
        ("to", date_to.isoformat()),
    ):
        if not data.get(name):
            data[name] = default
    return InsightsQueryForm(data)


def _query(group_by: str, date_from: date, date_to: date) -> str:
    return urlencode({"group_by": group_by, "from": date_from.isoformat(), "to": date_to.isoformat()})


def csv_filename(group_by: str, date_from: date, date_to: date) -> str:
    return f"bookings-by-{group_by.replace('_', '-')}-{date_from:%Y-%m-%d}-to-{date_to:%Y-%m-%d}.csv"


@staff_only
def dashboard(request: HttpRequest) -> TemplateResponse:
    form = _report_form(request)
    context = {
        **admin.site.each_context(request),
        "title": _("Booking insights"),
        "form": form,
        "time_slot_labels": [label for _key, label, _hour in TIME_SLOTS],
    }
    if form.is_valid():
        group_by, date_from, date_to = (form.cleaned_data[name] for name in ("group_by", "from", "to"))
        rows = booking_report(group_by=group_by, date_from=date_from, date_to=date_to)
        group_label = dict(GROUP_BY_CHOICES)[group_by]
        heatmap = occupancy_heatmap(date_from=date_from, date_to=date_to)
        export_url = reverse("insights:export")
        context |= {
            "group_by": group_by,
            "group_label": group_label,
            "date_from": date_from,
            "date_to": date_to,
            "rows": rows,
            "chart": occupancy_chart(_("Occupancy by %(group)s") % {"group": group_label.lower()}, rows),
            "totals": booking_report_totals(date_from=date_from, date_to=date_to),
            "heatmap": [
                {"row": day, "cells": [{"row": cell, "level": heat_level(cell)} for cell in day.cells]}
                for day in heatmap
            ],
            "upcoming": fullest_upcoming_showtimes(until=date_to),
            "tabs": [
                {
                    "key": key,
                    "label": label,
                    "url": f"?{_query(key, date_from, date_to)}",
                    "csv_url": f"{export_url}?{_query(key, date_from, date_to)}",
                    "current": key == group_by,
                }
                for key, label in GROUP_BY_CHOICES
            ],
        }
    return TemplateResponse(request, "admin/insights/dashboard.html", context)


@staff_only
def export_csv(request: HttpRequest) -> HttpResponse:
    form = _report_form(request)
    if not form.is_valid():
        errors = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in form.errors.items())
        return HttpResponseBadRequest(errors, content_type="text/plain; charset=utf-8")
    group_by, date_from, date_to = (form.cleaned_data[name] for name in ("group_by", "from", "to"))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{csv_filename(group_by, date_from, date_to)}"'
    rows = booking_report(group_by=group_by, date_from=date_from, date_to=date_to)
    write_report_csv(rows, response)
    return response
