"""The benchmark's data: rooms (the 300-seat Grand Hall among them), movies, a
schedule with history, customers with a known password, and bookings.

Rooms go through `room_create`; everything else is written in bulk, past
showtimes included, which the scheduling service rightly refuses. Bookings
and tickets go in with PostgreSQL COPY, keeping every invariant the database
checks (one active ticket per seat and showtime, cancelled bookings with
their released tickets), so a million of them takes minutes.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone
from rest_framework_simplejwt.tokens import AccessToken

from accounts.models import User
from bookings.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Booking,
    Ticket,
    TicketRelease,
    TicketTypeSales,
    new_booking_code,
)
from bookings.sales import sales_recount
from movies.models import Movie
from pricing.models import ADULT, TicketType
from theaters.models import Room, Seat, Showtime, ShowtimePrice
from theaters.services import room_create

PASSWORD = "bench-password-2026"
STAFF_EMAIL = "staff@bench.local"
ROOMS = [("Grand Hall", 15, 20), ("Studio 2", 12, 16), ("Studio 3", 10, 14), ("Salon 4", 8, 12)]
SEAT_MAP_ROOM = "Grand Hall"
# 3 h 15 min apart: the longest film plus cleaning fits, so no slot overlaps the next.
SLOTS = [clock(10, 0), clock(13, 15), clock(16, 30), clock(19, 45), clock(23, 0)]
PRICES = {"Grand Hall": Decimal("14.50"), "Studio 2": Decimal("12.00"), "Studio 3": Decimal("11.00")}
DEFAULT_PRICE = Decimal("9.50")
# Seats per booking: couples most often, then singles and families.
GROUP_SIZES, GROUP_WEIGHTS = (1, 2, 3, 4), (20, 45, 15, 20)
CANCELLED_SHARE = 0.05
FLUSH_BOOKINGS = 50_000
# Bookings made by the load must not meet a showtime that starts during the run.
BOOKABLE_MARGIN = timedelta(hours=3)
WORDS = [
    *("Silent", "Harbor", "Northern", "Lights", "Paper", "Moons", "Glass", "Orchard", "Last", "Ferry"),
    *("Iron", "Garden", "Winter", "Signal", "Hidden", "Valley", "Copper", "Sky", "Quiet", "Storm"),
    *("Long", "Night", "Burning", "River", "Blue", "Meridian", "Lost", "Atlas", "Salt", "Velvet"),
]


@dataclass
class DataSet:
    seat_map_showtime: int
    race_showtime: int
    staff_id: int
    customer_ids: list[int]


def _progress(done: int, total: int, started: float) -> None:
    elapsed = time.monotonic() - started
    rate = done / elapsed if elapsed else 0.0
    left = (total - done) / rate if rate else 0.0
    filled = int(30 * done / total) if total else 30
    line = (
        f"  [{'#' * filled}{'.' * (30 - filled)}] {done:,}/{total:,} bookings, "
        f"{rate:,.0f}/s, {elapsed:.0f} s, about {left:.0f} s left"
    )
    if sys.stderr.isatty():
        print("\r" + line, end="" if done < total else "\n", file=sys.stderr, flush=True)
    else:
        print(line, file=sys.stderr, flush=True)


def _code_for(booking_id: int) -> str:
    # An odd multiplier modulo 2**40 is a bijection: unique codes that look random.
    number = (booking_id * 0x5DEECE66D) % (1 << (5 * CODE_LENGTH))
    return "".join(CODE_ALPHABET[(number >> (5 * i)) & 31] for i in range(CODE_LENGTH))


def _stamp(moment: datetime) -> str:
    return moment.isoformat()


class BookingWriter:
    """Fills showtimes with bookings and writes them, with their tickets, by COPY."""

    def __init__(self, *, customer_ids: list[int], rng: random.Random, total: int):
        self.customer_ids = customer_ids
        self.rng = rng
        self.total = total
        self.written = 0
        self.started = time.monotonic()
        self.now = timezone.now()
        self.adult_id = TicketType.objects.get(code=ADULT).pk  # every benchmark ticket is adult
        self.next_id = (Booking.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        self.taken_codes = set(Booking.objects.values_list("code", flat=True))
        self.seats_by_room: dict[int, list[int]] = {}
        for room_id, seat_id in Seat.objects.order_by("id").values_list("room_id", "id"):
            self.seats_by_room.setdefault(room_id, []).append(seat_id)
        self.bookings: list[str] = []
        self.tickets: list[str] = []

    @property
    def done(self) -> bool:
        return self.written + len(self.bookings) >= self.total

    def fill(self, showtime: Showtime, occupancy: float) -> None:
        """Sell about `occupancy` of the showtime's seats, in groups, until the total is reached."""
        seats = self.rng.sample(
            self.seats_by_room[showtime.room_id], k=len(self.seats_by_room[showtime.room_id])
        )
        to_sell = int(len(seats) * occupancy)
        while to_sell > 0 and not self.done:
            size = min(to_sell, self.rng.choices(GROUP_SIZES, GROUP_WEIGHTS)[0])
            group, seats = seats[:size], seats[size:]
            to_sell -= size
            self._add(showtime, group)
        if len(self.bookings) >= FLUSH_BOOKINGS:
            self.flush()

    def _add(self, showtime: Showtime, seat_ids: list[int]) -> None:
        booking_id = self.next_id
        self.next_id += 1
        code = _code_for(booking_id)
        while code in self.taken_codes:  # a code the app drew at random earlier
            code = new_booking_code()
        sold_until = min(showtime.starts_at, self.now)
        created_at = sold_until - timedelta(minutes=self.rng.randint(30, 14 * 24 * 60))
        user_id = self.rng.choice(self.customer_ids)
        total = showtime.price * len(seat_ids)
        if self.rng.random() < CANCELLED_SHARE:
            cancelled_at = created_at + (sold_until - created_at) / 2
            status, cancelled, cancelled_by, active = "cancelled", _stamp(cancelled_at), str(user_id), "f"
            released = TicketRelease.BOOKING_CANCELLED.value
        else:
            status, cancelled, cancelled_by, active = "confirmed", r"\N", r"\N", "t"
            released = ""
        created = _stamp(created_at)
        self.bookings.append(
            f"{booking_id}\t{code}\t{status}\t{total}\t{created}\t{cancelled}\t{cancelled_by}"
            f"\t{showtime.pk}\t{user_id}\n"
        )
        for seat_id in seat_ids:
            self.tickets.append(
                f"{booking_id}\t{showtime.pk}\t{seat_id}\t{self.adult_id}\t{showtime.price}"
                f"\t{active}\t{cancelled}\t{released}\n"
            )

    def flush(self) -> None:
        if not self.bookings:
            return
        with transaction.atomic(), connection.cursor() as cursor:
            booking_columns = "id, code, status, total_price, created_at, cancelled_at, cancelled_by_id"
            with cursor.copy(
                f"COPY {Booking._meta.db_table} ({booking_columns}, showtime_id, user_id) FROM STDIN"
            ) as copy:
                copy.write("".join(self.bookings))
            ticket_columns = (
                "booking_id, showtime_id, seat_id, ticket_type_id, price, active, released_at, "
                "released_because"
            )
            with cursor.copy(f"COPY {Ticket._meta.db_table} ({ticket_columns}) FROM STDIN") as copy:
                copy.write("".join(self.tickets))
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                [Booking._meta.db_table, self.next_id - 1],
            )
        self.written += len(self.bookings)
        self.bookings, self.tickets = [], []
        _progress(self.written, self.total, self.started)


def _local_start(day: date, slot: clock) -> datetime:
    return timezone.make_aware(datetime.combine(day, slot))


def _schedule(days: Iterable[date], rooms: list[Room], movies: list[Movie], *, after: datetime | None = None):
    """Showtimes for every room and slot of `days` (only those starting after `after`), in bulk."""
    showtimes = []
    for day in days:
        for room_index, room in enumerate(rooms):
            for slot_index, slot in enumerate(SLOTS):
                starts_at = _local_start(day, slot)
                if after is not None and starts_at <= after:
                    continue
                movie = movies[(day.toordinal() * 7 + room_index * 5 + slot_index) % len(movies)]
                showtime = Showtime(
                    movie=movie, room=room, starts_at=starts_at, price=PRICES.get(room.name, DEFAULT_PRICE)
                )
                showtime.set_times()
                showtimes.append(showtime)
    showtimes = Showtime.objects.bulk_create(showtimes)
    adult = TicketType.objects.get(code=ADULT)
    ShowtimePrice.objects.bulk_create(
        ShowtimePrice(showtime=showtime, ticket_type=adult, price=showtime.price) for showtime in showtimes
    )
    return showtimes


def _days_from(first: date, step: int) -> Iterator[date]:
    day = first
    while True:
        yield day
        day += timedelta(days=step)


def _movies(count: int, rng: random.Random) -> list[Movie]:
    titles = set()
    while len(titles) < count:
        titles.add(f"The {rng.choice(WORDS)} {rng.choice(WORDS)}")
    return Movie.objects.bulk_create(
        Movie(
            title=title,
            year=rng.randint(1960, 2026),
            rating=rng.choice(["G", "PG", "PG-13", "12", "16"]),
            runtime_minutes=rng.randint(78, 148),
            description=f"{title}: a film for the benchmark.",
        )
        for title in sorted(titles)
    )


def _users(count: int) -> tuple[User, list[int]]:
    # One hash for everyone: hashing each password would take longer than the whole load.
    password = make_password(PASSWORD)
    staff = User.objects.create(email=STAFF_EMAIL, name="Bench Staff", password=password, is_staff=True)
    staff.groups.add(Group.objects.get(name="Theater staff"))
    customers = User.objects.bulk_create(
        User(email=f"customer{index}@bench.local", name=f"Customer {index}", password=password)
        for index in range(count)
    )
    return staff, [customer.pk for customer in customers]


def load(*, future_showtimes: int, past_days: int, users: int, bookings: int, seed: int = 2026) -> DataSet:
    """The base data set: ~`bookings` bookings, most on past showtimes, 40% of the seat map sold."""
    rng = random.Random(seed)
    rooms = [room_create(name=name, rows=rows, seats_per_row=per_row) for name, rows, per_row in ROOMS]
    movies = _movies(40, rng)
    staff, customer_ids = _users(users)
    today = timezone.localdate()
    now = timezone.now()
    future: list[Showtime] = []
    for day in _days_from(today, 1):
        future += _schedule([day], rooms, movies, after=now)
        if len(future) >= future_showtimes:
            break
    past = _schedule([today - timedelta(days=n) for n in range(1, past_days + 1)], rooms, movies)
    # The seat map and the race get a Grand Hall showtime well after the run.
    bookable = [s for s in future if s.starts_at > now + BOOKABLE_MARGIN and s.room.name == SEAT_MAP_ROOM]
    seat_map, race = bookable[0], bookable[1]
    writer = BookingWriter(customer_ids=customer_ids, rng=rng, total=bookings)
    writer.fill(seat_map, 0.4)
    for showtime in sorted(past, key=lambda s: s.starts_at, reverse=True):
        if writer.done:
            break
        writer.fill(showtime, rng.uniform(0.35, 0.95))
    writer.flush()
    sales_recount()
    return DataSet(
        seat_map_showtime=seat_map.pk, race_showtime=race.pk, staff_id=staff.pk, customer_ids=customer_ids
    )


@contextmanager
def _checks_deferred(models: Iterable[type]) -> Iterator[None]:
    """Drop the foreign keys and plain indexes of `models`' tables, and recreate them after.

    As pg_restore does: checking and indexing row by row costs most of a bulk
    load. Recreating them checks every row at once, the partial unique index
    on active tickets included, so the invariants still hold at the end.
    """
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
            WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)
            """,
            [tables],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
            WHERE i.indrelid::regclass::text = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """,
            [tables],
        )
        indexes = cursor.fetchall()
        for table, name, _ in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
    try:
        yield
    finally:
        print("  recreating indexes and foreign keys…", file=sys.stderr, flush=True)
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '256MB'")
            for _, definition in indexes:
                cursor.execute(definition)
            for table, name, definition in foreign_keys:
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


def scale_to(
    total_bookings: int, *, customer_ids: list[int], days_per_batch: int = 30, seed: int = 1_000_000
):
    """Add past showtimes, day by day backwards, and fill them until there are `total_bookings`."""
    missing = total_bookings - Booking.objects.count()
    if missing <= 0:
        return 0
    rng = random.Random(seed)
    rooms = list(Room.objects.order_by("id"))
    movies = list(Movie.objects.order_by("id"))
    earliest = timezone.localtime(Showtime.objects.order_by("starts_at").first().starts_at).date()
    writer = BookingWriter(customer_ids=customer_ids, rng=rng, total=missing)
    days = _days_from(earliest - timedelta(days=1), -1)
    with _checks_deferred([Booking, Ticket]):
        while not writer.done:
            batch = _schedule([next(days) for _ in range(days_per_batch)], rooms, movies)
            for showtime in sorted(batch, key=lambda s: s.starts_at, reverse=True):
                if writer.done:
                    break
                writer.fill(showtime, rng.uniform(0.35, 0.95))
        writer.flush()
    sales_recount()
    with connection.cursor() as cursor:  # fresh statistics, and no autovacuum mid-measurement
        for model in (Booking, Ticket, Showtime, TicketTypeSales):
            cursor.execute(f"VACUUM (ANALYZE) {model._meta.db_table}")
    return writer.written


def free_seats(dataset: DataSet, *, limit: int | None = None) -> list[tuple[int, int]]:
    """(showtime, seat) pairs free for the booking load: across showtimes first, so
    concurrent requests meet different showtime locks, as the day's traffic does."""
    reserved = [dataset.seat_map_showtime, dataset.race_showtime]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT st.id, seat.id
            FROM {Showtime._meta.db_table} st
            JOIN {Seat._meta.db_table} seat ON seat.room_id = st.room_id
            WHERE st.status = 'scheduled' AND st.starts_at > %s AND NOT (st.id = ANY(%s))
              AND NOT EXISTS (
                SELECT 1 FROM {Ticket._meta.db_table} t
                WHERE t.showtime_id = st.id AND t.seat_id = seat.id AND t.active
              )
            ORDER BY seat.row, seat.number, st.id
            LIMIT %s
            """,
            [timezone.now() + BOOKABLE_MARGIN, reserved, limit],
        )
        return cursor.fetchall()


def race_seats(dataset: DataSet, count: int) -> list[int]:
    """Free seats of the race showtime, one per round."""
    taken = Ticket.objects.filter(showtime_id=dataset.race_showtime, active=True).values("seat_id")
    showtime = Showtime.objects.get(pk=dataset.race_showtime)
    return list(
        Seat.objects.filter(room_id=showtime.room_id)
        .exclude(pk__in=taken)
        .order_by("row", "number")
        .values_list("pk", flat=True)[:count]
    )


def report_window() -> tuple[date, date]:
    """The local days from the first showtime to the last: reports over all the data."""
    first = Showtime.objects.order_by("starts_at").first()
    last = Showtime.objects.order_by("-starts_at").first()
    return timezone.localtime(first.starts_at).date(), timezone.localtime(last.starts_at).date()


def counts() -> dict[str, int]:
    return {
        "bookings": Booking.objects.count(),
        "tickets": Ticket.objects.count(),
        "showtimes": Showtime.objects.count(),
        "upcoming_showtimes": Showtime.objects.upcoming().count(),
        "users": User.objects.count(),
        "rooms": Room.objects.count(),
        "movies": Movie.objects.count(),
    }


def access_tokens(user_ids: Iterable[int]) -> list[str]:
    """JWTs minted directly: a login per client would time Argon2, not the endpoint."""
    users = User.objects.filter(pk__in=list(user_ids)).order_by("pk")
    return [str(AccessToken.for_user(user)) for user in users]
