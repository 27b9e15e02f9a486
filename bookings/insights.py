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

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.template.response import TemplateResponse
from django.urls import reverse

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

# Chart geometry, in SVG user units (the SVG scales to its box).
CHART_WIDTH = 720
LABEL_WIDTH = 220
BAR_AREA = 380
ROW_HEIGHT = 30
BAR_HEIGHT = 18
AXIS_HEIGHT = 24
LABEL_CHARS = 30
HEAT_LEVELS = 5


def staff_only(view: Callable) -> Callable:
    """The admin's own guard (login redirect, never-cache, CSRF). Logged-in customers
    never get this far: cinema.middleware.staff_only_admin answers them a 403."""
    return admin.site.admin_view(view)


@dataclass(frozen=True)
class Bar:
    label: str
    full_label: str
    value: str
    width: int
    y: int

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT - 4


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]

    width = CHART_WIDTH
    label_end = LABEL_WIDTH - 10
    bar_x = LABEL_WIDTH
    bar_height = BAR_HEIGHT

    @property
    def height(self) -> int:
        return AXIS_HEIGHT + ROW_HEIGHT * max(len(self.bars), 1)

    @property
    def ticks(self) -> list[dict]:
        """Gridlines at 0, 25, 50, 75 and 100 % occupancy."""
        return [
            {"x": LABEL_WIDTH + BAR_AREA * percent // 100, "text": f"{percent}%"}
            for percent in range(0, 101, 25)
        ]

    @property
    def axis_y(self) -> int:
        return AXIS_HEIGHT - 8


def occupancy_chart(title: str, rows: list[ReportRow]) -> BarChart:
    """Horizontal bars on a fixed 0–100 % scale, each labelled with its value,
    so the chart reads without colour and charts of different ranges compare."""
    bars = []
    for index, row in enumerate(rows):
        label = row.label if len(row.label) <= LABEL_CHARS else row.label[: LABEL_CHARS - 1] + "…"
        bars.append(
            Bar(
                label=label,
                full_label=row.label,
                value=f"{row.occupancy_display} · {row.tickets} of {row.seats_offered} seats",
                width=round(BAR_AREA * min(row.occupancy, 1.0)),
                y=AXIS_HEIGHT + index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) // 2,
            )
        )
    return BarChart(title=title, bars=bars)


def heat_level(row: ReportRow) -> str:
    """A CSS class for a heatmap cell: none without sessions, else 0–4 by occupancy."""
    if not row.sessions:
        return "none"
    return str(min(int(row.occupancy * HEAT_LEVELS), HEAT_LEVELS - 1))


def _report_form(request: HttpRequest) -> BookingReportForm:
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
    return BookingReportForm(data)


def _query(group_by: str, date_from: date, date_to: date) -> str:
    return urlencode({"group_by": group_by, "from": date_from.isoformat(), "to": date_to.isoformat()})


def csv_filename(group_by: str, date_from: date, date_to: date) -> str:
    return f"bookings-by-{group_by.replace('_', '-')}-{date_from:%Y-%m-%d}-to-{date_to:%Y-%m-%d}.csv"


@staff_only
def dashboard(request: HttpRequest) -> TemplateResponse:
    form = _report_form(request)
    context = {
        **admin.site.each_context(request),
        "title": "Booking insights",
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
            "chart": occupancy_chart(f"Occupancy by {group_label.lower()}", rows),
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
