"""`manage.py booking_report`: the staff insights as an aligned table or as CSV."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from bookings.reports import (
    DEFAULT_DAYS_AHEAD,
    DEFAULT_DAYS_BACK,
    GROUPINGS,
    BookingReportForm,
    ReportRow,
    booking_report,
    booking_report_totals,
    write_report_csv,
)

# People read this table, so it says "showtimes"; the CSV keeps the keys scripts read.
TABLE_COLUMNS = ["Key", "Label", "Showtimes", "Bookings", "Tickets", "Seats", "Revenue", "Occupancy"]


def _cells(row: ReportRow) -> list[str]:
    return [
        row.key,
        row.label,
        str(row.sessions),
        str(row.bookings),
        str(row.tickets),
        str(row.seats_offered),
        f"{row.revenue:.2f}",
        row.occupancy_display,
    ]


class Command(BaseCommand):
    help = (
        "Showtimes, bookings, tickets, revenue and occupancy by weekday, time slot or movie, "
        "for local days FROM to TO (both included). Only confirmed bookings count."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--group-by", required=True, choices=GROUPINGS, help="How to group the showtimes."
        )
        parser.add_argument(
            "--from",
            dest="date_from",
            metavar="YYYY-MM-DD",
            help=f"First day (default: {DEFAULT_DAYS_BACK} days ago).",
        )
        parser.add_argument(
            "--to",
            dest="date_to",
            metavar="YYYY-MM-DD",
            help=f"Last day (default: in {DEFAULT_DAYS_AHEAD} days).",
        )
        parser.add_argument(
            "--format",
            dest="output_format",
            choices=["table", "csv"],
            default="table",
            help="An aligned table for people (default) or CSV for scripts (the dashboard's export).",
        )

    def handle(self, *args, group_by: str, date_from: str | None, date_to: str | None, **options) -> None:
        # The same validation as the dashboard and the API.
        form = BookingReportForm({"group_by": group_by, "from": date_from or "", "to": date_to or ""})
        if not form.is_valid():
            problems = "; ".join(f"--{field}: {' '.join(errors)}" for field, errors in form.errors.items())
            raise CommandError(problems, returncode=2)
        date_from, date_to = form.cleaned_data["from"], form.cleaned_data["to"]
        rows = booking_report(group_by=group_by, date_from=date_from, date_to=date_to)
        if options["output_format"] == "csv":
            write_report_csv(rows, self.stdout)
            return
        self.stdout.write(f"Bookings by {group_by.replace('_', ' ')}, {date_from} to {date_to}\n")
        self.stdout.write(self._table([*rows, booking_report_totals(date_from=date_from, date_to=date_to)]))

    def _table(self, rows: list[ReportRow]) -> str:
        lines = [TABLE_COLUMNS, *(_cells(row) for row in rows)]
        widths = [max(len(line[column]) for line in lines) for column in range(len(TABLE_COLUMNS))]

        def render(cells: list[str]) -> str:
            # Key and label read left to right; the numbers line up on the right.
            return "  ".join(
                cell.ljust(width) if column < 2 else cell.rjust(width)
                for column, (cell, width) in enumerate(zip(cells, widths, strict=True))
            ).rstrip()

        rule = "  ".join("-" * width for width in widths)
        header, *body = lines
        return "\n".join([render(header), rule, *map(render, body[:-1]), rule, render(body[-1])]) + "\n"
