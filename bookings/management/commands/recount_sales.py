"""`manage.py recount_sales`: recount every showtime's sales by ticket type (the
insights' figures) from its tickets, after a bulk load or a restore; `--check`
only lists where they differ and exits 1 if anywhere."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from bookings.models import TicketTypeSales
from bookings.sales import FIGURES, sales_drift, sales_recount


class Command(BaseCommand):
    help = (
        "Recount each showtime's sales by ticket type from its tickets and check-ins "
        "(what the insights read). With --check, list the differences instead and exit 1 if any."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--check", action="store_true", help="change nothing; exit 1 on any difference")

    def handle(self, *args, check: bool, **options) -> None:
        if not check:
            sales_recount()
            rows = TicketTypeSales.objects.count()
            self.stdout.write(f"Recounted the sales of every showtime ({rows} rows by ticket type).")
            return
        drift = sales_drift()
        for showtime_id, ticket_type_id, stored, recounted in drift:
            differences = ", ".join(
                f"{name} {was} → {now}"
                for name, was, now in zip(FIGURES, stored, recounted, strict=True)
                if was != now
            )
            self.stdout.write(f"showtime {showtime_id}, ticket type {ticket_type_id}: {differences}")
        if drift:
            self.stderr.write(f"{len(drift)} row(s) differ from a recount: run recount_sales to mend them.")
            sys.exit(1)
        self.stdout.write("Every showtime's sales agree with a recount.")
