from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from theaters.layout import LayoutError, layout_from_text
from theaters.services import MAX_ROWS, MAX_SEATS_PER_ROW, ScheduleError, room_create


class Command(BaseCommand):
    help = (
        "Create a room (auditorium) with its grid of seats: rows lettered A…, seats numbered from 1; "
        "a rectangle (--rows, --seats-per-row) or drawn in a layout file (--layout-file)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", help="The room's name, unique.")
        parser.add_argument("--rows", type=int, help=f"Rows, 1 to {MAX_ROWS}.")
        parser.add_argument("--seats-per-row", type=int, help=f"Seats per row, 1 to {MAX_SEATS_PER_ROW}.")
        parser.add_argument(
            "--layout-file",
            type=Path,
            help="A text file, one line per row from the screen: S seat, W wheelchair space, "
            "C companion seat, X blocked seat, . gap.",
        )

    def handle(
        self,
        *args,
        name: str,
        rows: int | None,
        seats_per_row: int | None,
        layout_file: Path | None,
        **options,
    ) -> None:
        if (layout_file is None) == (rows is None or seats_per_row is None):
            raise CommandError("Give --rows and --seats-per-row, or --layout-file.")
        layout = None
        if layout_file is not None:
            try:
                layout = layout_from_text(layout_file.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError) as error:
                raise CommandError(f"Cannot read {layout_file}: {error}") from error
        try:
            room = room_create(name=name, rows=rows, seats_per_row=seats_per_row, layout=layout)
        except (ScheduleError, LayoutError) as error:
            raise CommandError(error.message) from error
        row_count = room.seats.values("row").distinct().count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Created room “{room.name}” with {room.capacity} seats for sale in {row_count} rows."
            )
        )
