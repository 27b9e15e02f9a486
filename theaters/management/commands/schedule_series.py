from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError

from movies.models import Movie
from theaters.models import Room
from theaters.series import (
    MAX_SERIES,
    OK,
    WEEKDAYS,
    Planned,
    SeriesSpec,
    parse_start_time,
    preview_series,
    series_create,
)
from theaters.services import ScheduleError


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"“{text}” is not a day such as 2027-03-25.") from None


def _price(text: str) -> Decimal:
    try:
        price = Decimal(text)
    except InvalidOperation:
        raise CommandError(f"“{text}” is not a price such as 9.50.") from None
    if not price.is_finite() or price < 0 or price != round(price, 2) or price >= 10**5:
        raise CommandError(f"“{text}” is not a price such as 9.50.")
    return price


def _by_id_or_name(model, value: str, field: str):
    lookup = {"pk": int(value)} if value.isdigit() else {f"{field}__iexact": value}
    found = list(model.objects.filter(**lookup)[:2])
    if len(found) != 1:
        what = model._meta.verbose_name
        raise CommandError(f"No single {what} is “{value}”." if found else f"No {what} is “{value}”.")
    return found[0]


class Command(BaseCommand):
    help = (
        "Schedule a series of showtimes: local start times on chosen weekdays from a first day to a "
        f"last day, or a count of showtimes in date order (at most {MAX_SERIES}). Prints each start "
        "as ok, overlap or past; creates the ok ones unless --dry-run."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--movie", required=True, help="The movie's id or title.")
        parser.add_argument("--room", required=True, help="The room's id or name.")
        parser.add_argument("--first-day", required=True, help="YYYY-MM-DD.")
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--last-day", help="YYYY-MM-DD.")
        group.add_argument("--count", type=int, help="How many showtimes, in date order.")
        parser.add_argument(
            "--weekdays",
            default=",".join(WEEKDAYS),
            help="Comma-separated, e.g. monday,friday (default: every day).",
        )
        parser.add_argument("--times", required=True, help="Local start times, e.g. 14:00,20:30.")
        parser.add_argument("--price", help="The adult price (default: the price cards').")
        parser.add_argument(
            "--prices", default="", help="Other ticket types' prices, e.g. child=6,senior=7.50."
        )
        parser.add_argument("--dry-run", action="store_true", help="Preview only: create nothing.")

    def handle(self, *args, **options) -> None:
        spec = self._spec(options)
        try:
            planned = preview_series(spec) if options["dry_run"] else series_create(spec)
        except ScheduleError as error:
            raise CommandError(error.message) from error
        self._table(planned)
        ok = sum(item.status == OK for item in planned)
        skipped = len(planned) - ok
        if options["dry_run"]:
            self.stdout.write(f"Dry run: {ok} would be created, {skipped} skipped; nothing created.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Created {ok} showtime(s); skipped {skipped}."))

    def _spec(self, options) -> SeriesSpec:
        weekdays = [name.strip().lower() for name in options["weekdays"].split(",") if name.strip()]
        unknown = [name for name in weekdays if name not in WEEKDAYS]
        if unknown:
            raise CommandError(f"“{unknown[0]}” is not a weekday (monday … sunday).")
        try:
            times = [parse_start_time(word) for word in options["times"].split(",") if word.strip()]
        except ValueError as error:
            raise CommandError(str(error)) from error
        prices = {}
        for pair in filter(None, (part.strip() for part in options["prices"].split(","))):
            code, _, amount = pair.partition("=")
            prices[code.strip()] = _price(amount.strip())
        return SeriesSpec(
            movie=_by_id_or_name(Movie, options["movie"], "title"),
            room=_by_id_or_name(Room, options["room"], "name"),
            first_day=_day(options["first_day"]),
            last_day=_day(options["last_day"]) if options["last_day"] else None,
            count=options["count"],
            weekdays=frozenset(WEEKDAYS.index(name) for name in weekdays),
            times=times,
            price=_price(options["price"]) if options["price"] else None,
            prices=prices,
        )

    def _table(self, planned: list[Planned]) -> None:
        self.stdout.write(f"{'Starts':<24}{'Status':<9}Reason")
        for item in planned:
            self.stdout.write(f"{item.local_start:%a %d %b %Y %H:%M}   {item.status:<8} {item.detail or '-'}")
