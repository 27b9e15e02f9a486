from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from theaters.models import row_letter
from theaters.services import MAX_ROWS, MAX_SEATS_PER_ROW, ScheduleError, room_create


class Command(BaseCommand):
    help = "Create a room (auditorium) with its grid of seats: rows lettered A…, seats numbered from 1."

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", help="The room's name, unique.")
        parser.add_argument("--rows", type=int, required=True, help=f"Rows, 1 to {MAX_ROWS}.")
        parser.add_argument(
            "--seats-per-row", type=int, required=True, help=f"Seats per row, 1 to {MAX_SEATS_PER_ROW}."
        )

    def handle(self, *args, name: str, rows: int, seats_per_row: int, **options) -> None:
        try:
            room = room_create(name=name, rows=rows, seats_per_row=seats_per_row)
        except ScheduleError as error:
            raise CommandError(error.message) from error
        last_row = row_letter(rows - 1)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created room “{room.name}” with {room.capacity} seats "
                f"(rows A–{last_row}, seats 1–{seats_per_row})."
            )
        )
