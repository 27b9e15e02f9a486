"""An idempotent demo cinema: rooms, movies, a month of history, two weeks of
showtimes to come with their bookings, a sold-out premiere, and three logins.

The booking services refuse the past, so the demo's history (past showtimes,
their bookings and tickets) is written here directly, in bulk, as the services
would have left it: every constraint of bookings/models.py holds, and so do
the rules the services check (seats per booking and per customer, cancelling
before the cut-off). Showtimes to come are scheduled and booked through the
services. A seeded random makes the same cinema for the same clock.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import BytesIO

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import DateTimeField, Model
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageColor, ImageDraw, ImageFont

from accounts.models import User
from bookings.emails import booking_mails_muted
from bookings.models import Booking, BookingStatus, Ticket, TicketRelease, new_booking_code
from bookings.prices import total_of
from bookings.sales import sales_recount
from bookings.services import BookingError, booking_cancel, booking_change_refusal, booking_create
from movies.models import Genre, Movie
from movies.services import movie_save
from pricing.models import ADULT, PriceCard, PriceCardPrice, TicketType
from theaters.models import Room, Seat, Showtime, ShowtimePrice
from theaters.services import ScheduleError, adult_price_of, pricer, room_create, showtime_schedule


@dataclass(frozen=True)
class Login:
    role: str
    email: str
    name: str
    password: str
    can: str


SUPERUSER = Login(
    "superuser",
    "admin@cinema.local",
    "Ada Admin",
    "cinema-admin-2026",
    "everything in /admin/, Users and login lockouts included",
)
STAFF_MEMBER = Login(
    "theater staff",
    "staff@cinema.local",
    "Sam Staff",
    "cinema-staff-2026",
    "the daily work in /admin/: movies, rooms, showtimes, reservations, insights",
)
CUSTOMER = Login(
    "customer",
    "moviegoer@cinema.local",
    "Maya Moviegoer",
    "cinema-demo-2026",
    "books seats on the site; her bookings are at /bookings/",
)
LOGINS = (SUPERUSER, STAFF_MEMBER, CUSTOMER)
STAFF_GROUP = "Theater staff"


def logins_text() -> str:
    """The demo logins and what each can do, one a line, as `make run` ends."""
    width = max(len(login.email) + len(login.password) for login in LOGINS) + 3
    lines = ["Demo logins (email / password):"]
    lines += [
        f"  {login.role:<15}{f'{login.email} / {login.password}':<{width}}  {login.can}" for login in LOGINS
    ]
    return "\n".join(lines)


# The other moviegoers (they cannot log in): every first name with every last name.
FIRST_NAMES = [
    *("Amara", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas"),
    *("Kira", "Leo", "Mina", "Noah", "Olga", "Pablo", "Quinn", "Rosa", "Sami", "Tess"),
]
LAST_NAMES = [
    *("Okafor", "Martin", "Patel", "Novak", "Silva", "Haddad"),
    *("Kim", "Larsen", "Moreau", "Nakamura", "Schmidt", "Walsh"),
]
# Long enough ago for every booking of the history to come after it.
JOINED_DAYS_AGO = 120

# Room layouts (theaters/layout.py), rows from the screen. The Grand Hall: 300 seats,
# a short front row, a centre aisle, two wheelchair spaces with their companion seats
# at the back, where the floor is level; Studio 2: side aisles; Salon 3: a plain box.
GRAND_HALL = [
    "....SSSSSSS.SSSSSSS....",
    *["SSSSSSSSSSS.SSSSSSSSSSS"] * 12,
    "WCSSSSSSSSS.SSSSSSSSSCW",
]
STUDIO_2 = [*["SSS.SSSSSSSS.SSS"] * 9, "WC..SSSSSSSS..CW"]
ROOMS = [("Grand Hall", GRAND_HALL), ("Studio 2", STUDIO_2), ("Salon 3", ["S" * 10] * 6)]

MOVIES = [
    (
        "Metropolis",
        1927,
        "PG",
        148,
        "In a futuristic city sharply divided between workers and planners, "
        "the son of the city's mastermind falls for a prophet who predicts the coming of a savior.",
    ),
    (
        "The General",
        1926,
        "G",
        78,
        "A Confederate train engineer chases the Union spies who stole his "
        "locomotive — and his sweetheart — in Buster Keaton's great comedy.",
    ),
    (
        "Nosferatu",
        1922,
        "PG-13",
        94,
        "A real-estate agent travels to Transylvania and meets Count Orlok, who follows him home to Wisborg.",
    ),
    ("Sherlock Jr.", 1924, "G", 45, "A projectionist dreams himself into the film he is showing."),
    (
        "Northern Lights",
        2025,
        "12",
        118,
        "Two estranged sisters drive across Lapland to scatter their father's ashes under the aurora.",
    ),
    (
        "The Last Ferry",
        2026,
        "PG-13",
        104,
        "A night-shift ferry captain has one crossing left to save her island's only hospital.",
    ),
    (
        "Glasshouse",
        2026,
        "16",
        131,
        "An architect's award-winning home becomes a trap when a storm cuts it off from the world.",
    ),
    (
        "Paper Moons",
        2024,
        "PG",
        96,
        "A retired magician and his granddaughter rebuild his travelling show, one town at a time.",
    ),
]
GENRES = {
    "Metropolis": ["Science fiction", "Drama"],
    "The General": ["Comedy", "Adventure"],
    "Nosferatu": ["Horror"],
    "Sherlock Jr.": ["Comedy"],
    "Northern Lights": ["Drama"],
    "The Last Ferry": ["Thriller", "Drama"],
    "Glasshouse": ["Thriller"],
    "Paper Moons": ["Family", "Comedy"],
}
# Each demo poster's two colours (top, bottom), drawn by `demo_poster`.
POSTER_COLOURS = {
    "Metropolis": ("#1b2a49", "#c9a227"),
    "The General": ("#5b3a1a", "#e0c28a"),
    "Nosferatu": ("#0d0d0d", "#7a1f1f"),
    "Sherlock Jr.": ("#2f4858", "#f6ae2d"),
    "Northern Lights": ("#0b3d3a", "#5ee6a8"),
    "The Last Ferry": ("#102a43", "#f0b429"),
    "Glasshouse": ("#243b53", "#9fb3c8"),
    "Paper Moons": ("#3d1f4d", "#f7c8e0"),
}
POSTER_SIZE = (600, 900)
# How much a film draws, against the average.
APPEAL = {
    "Metropolis": 0.9,
    "The General": 0.8,
    "Nosferatu": 0.95,
    "Sherlock Jr.": 0.75,
    "Northern Lights": 1.1,
    "The Last Ferry": 1.25,
    "Glasshouse": 1.15,
    "Paper Moons": 1.05,
}

# Local start times per room, 3 h 15 min apart: the longest film plus cleaning fits.
SLOTS = {
    "Grand Hall": ["11:00", "14:15", "17:30", "20:45"],
    "Studio 2": ["12:00", "15:15", "18:30", "21:45"],
    "Salon 3": ["13:00", "16:15", "19:30"],
}
# Beside the Standard card (migration pricing/0002): (name, weekdays, starts before, priority, prices).
PRICE_CARDS = [
    (
        "Matinee before 17:00",
        [1, 2, 3, 4, 5, 6, 7],
        time(17, 0),
        10,
        {"adult": "7.50", "child": "5.50", "senior": "6.00", "student": "6.00"},
    ),
    ("Tuesday", [2], None, 20, {"adult": "6.50", "child": "5.00", "senior": "5.00", "student": "5.00"}),
]
# A party of this many or more brings one child (its last seat), where the showtime sells child tickets.
FAMILY_PARTY = 3
DAYS = 14
# Past days with showtimes: the insights' default range starts 30 days ago.
HISTORY_DAYS = 31

# Tomorrow evening the newest film opens in the big hall, sold out; it is not
# shown before.
PREMIERE_MOVIE, PREMIERE_ROOM, PREMIERE_DAYS_AHEAD, PREMIERE_SLOT = "The Last Ferry", "Grand Hall", 1, "20:45"

OCCUPANCY_RANGE = (0.20, 0.90)
WEEKEND_BONUS = 0.15
# Seats in one booking, and how often each size comes: mostly couples.
PARTY_SIZES = (1, 2, 3, 4, 5, 6)
PARTY_WEIGHTS = (18, 42, 14, 16, 6, 4)
CANCELLED_SHARE = 0.06
# The demo customer goes about once a week: her share of all showtimes.
REGULAR_SHARE = 1 / 70
# Most tickets sell in the last hours: half of a showtime's audience has booked
# this many hours before its start, and no one yet a week before (few service
# calls keep the seed fast).
HALF_BOOKED_HOURS_AHEAD = 4
BOOKED_DAYS_AHEAD = 7
# Chance that a party leaves a seat free beside the one before it.
GAP_CHANCE = 0.2
# The history's rows, as _write_history writes them.
BOOKING_COLUMNS = (
    "code",
    "user",
    "showtime",
    "status",
    "total_price",
    "created_at",
    "cancelled_at",
    "cancelled_by",
)
TICKET_COLUMNS = (
    "booking",
    "showtime",
    "seat",
    "ticket_type",
    "price",
    "active",
    "released_at",
    "released_because",
)


def _party_types(seat_ids: list[int], offered) -> dict[int, str]:
    """A family party's last seat is a child's, where child tickets are sold; the rest adult."""
    if len(seat_ids) >= FAMILY_PARTY and "child" in offered:
        return {seat_ids[-1]: "child"}
    return {}


def demo_poster(movie: Movie) -> bytes:
    """A one-sheet drawn here (no downloads): a two-colour sky, a moon, the title and year."""
    top, bottom = (ImageColor.getrgb(colour) for colour in POSTER_COLOURS[movie.title])
    width, height = POSTER_SIZE
    image = Image.new("RGB", POSTER_SIZE)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        share = y / (height - 1)
        colour = tuple(round(a + (b - a) * share) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)
    draw.ellipse([width * 0.25, height * 0.18, width * 0.75, height * 0.18 + width * 0.5], fill=bottom)
    title_font = ImageFont.load_default(size=64 if len(movie.title) < 12 else 48)
    draw.text((width / 2, height * 0.72), movie.title.upper(), font=title_font, fill="white", anchor="mm")
    year_font = ImageFont.load_default(size=32)
    draw.text((width / 2, height * 0.82), str(movie.year or ""), font=year_font, fill="white", anchor="mm")
    data = BytesIO()
    image.save(data, "JPEG", quality=85)
    return data.getvalue()


def _demand(starts_at: datetime, movie: Movie, rng: random.Random) -> float:
    """The share of seats a showtime sells: busier evenings, weekends and new films."""
    local = timezone.localtime(starts_at)
    hour = local.hour
    base = 0.25 if hour < 12 else 0.40 if hour < 17 else 0.68 if hour < 21 else 0.50
    weekend = local.weekday() >= 5 or (local.weekday() == 4 and hour >= 17)
    share = base * APPEAL.get(movie.title, 1.0) + (WEEKEND_BONUS if weekend else 0) + rng.uniform(-0.07, 0.07)
    low, high = OCCUPANCY_RANGE
    return min(max(share, low), high)


def _rng(room: Room, starts_at: datetime) -> random.Random:
    return random.Random(f"{room.name} {starts_at.isoformat()}")


class SeatPicker:
    """The free seats of one showtime, handed out as parties choose them: each party
    side by side in one row, rows two thirds back first, each row filling out from
    its middle, now and then a seat left free between parties (at most `spare`)."""

    def __init__(self, seats: list[Seat], rng: random.Random, *, spare: int) -> None:
        rows: dict[str, list[int]] = {}
        for seat in seats:  # in row, then number, order
            rows.setdefault(seat.row, []).append(seat.pk)
        self.rows = list(rows.values())
        sweet_spot = (len(self.rows) - 1) * 2 / 3
        self.weights = [1 / (1 + abs(index - sweet_spot)) for index in range(len(self.rows))]
        # Row i's taken seats are self.rows[i][left:right].
        self.spans = [[len(row) // 2, len(row) // 2] for row in self.rows]
        self.rng = rng
        self.spare = spare

    def take(self, size: int) -> list[int]:
        """`size` adjacent seat ids, fewer where no row has room for the party, none when full."""
        room = [max(left, len(row) - right) for row, (left, right) in zip(self.rows, self.spans, strict=True)]
        rows = [i for i, free in enumerate(room) if free >= size] or [
            i for i, free in enumerate(room) if free
        ]
        if not rows:
            return []
        i = self.rng.choices(rows, weights=[self.weights[i] for i in rows])[0]
        row, span = self.rows[i], self.spans[i]
        size = min(size, room[i])
        on_the_right = len(row) - span[1] >= size and (span[0] < size or self.rng.random() < 0.5)
        free = len(row) - span[1] if on_the_right else span[0]
        gap = int(self.spare > 0 and free > size and self.rng.random() < GAP_CHANCE)
        self.spare -= gap
        if on_the_right:
            start = span[1] + gap
            span[1] = start + size
            return row[start : start + size]
        end = span[0] - gap
        span[0] = end - size
        return row[end - size : end]


@dataclass
class Party:
    customer: User
    seat_ids: list[int]
    cancelled: bool


def _parties(
    seats: list[Seat],
    share: float,
    rng: random.Random,
    customers: list[User],
    *,
    regular: User | None = None,
    cancelled_share: float = CANCELLED_SHARE,
) -> Iterator[Party]:
    """Who books which of a showtime's `seats` until `share` of them are sold: one booking
    per customer, so no one passes MAX_SEATS_PER_CUSTOMER; `regular` (if given) first."""
    target = round(share * len(seats))
    queue = [regular] if regular else []
    queue += rng.sample(customers, len(customers))
    # A wheelchair space and its companion seat go together, as the rule says; the
    # parties of the rest sit in the standard seats.
    standard = [seat for seat in seats if not seat.is_accessible]
    accessible = [seat for seat in seats if seat.is_accessible]
    pairs = [accessible[i : i + 2] for i in range(0, len(accessible) - 1, 2)]
    picker = SeatPicker(standard, rng, spare=len(seats) - target)
    sold = 0
    for pair in pairs:
        if queue and rng.random() < share:
            cancelled = rng.random() < cancelled_share
            sold += 0 if cancelled else len(pair)
            yield Party(queue.pop(), [seat.pk for seat in pair], cancelled)
    for customer in queue:
        if sold >= target:
            return
        size = 2 if customer is regular else rng.choices(PARTY_SIZES, weights=PARTY_WEIGHTS)[0]
        seat_ids = picker.take(min(size, target - sold, settings.MAX_SEATS_PER_CUSTOMER))
        if not seat_ids:
            return
        cancelled = rng.random() < cancelled_share
        if not cancelled:
            sold += len(seat_ids)
        yield Party(customer, seat_ids, cancelled)


def _insert_rows(model: type[Model], fields: tuple[str, ...], rows: list[tuple]) -> None:
    """INSERT plain rows: bulk_create would build a model instance per row (seconds
    for the history's tens of thousands of tickets) and stamp `created_at` with now.

    Datetimes are the only values here whose form differs by database (SQLite
    keeps them as naive UTC text), so only they are adapted, as the ORM does.
    """
    if not rows:
        return
    model_fields = [model._meta.get_field(name) for name in fields]
    datetimes = [i for i, field in enumerate(model_fields) if isinstance(field, DateTimeField)]
    values = [list(row) for row in rows]
    for row in values:
        for i in datetimes:
            row[i] = connection.ops.adapt_datetimefield_value(row[i])
    quote = connection.ops.quote_name
    into = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in model_fields)})"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement with an array per column, as bulk_create does there: 4 times faster.
            arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in model_fields)
            cursor.execute(
                f"{into} SELECT * FROM UNNEST({arrays})",
                [list(column) for column in zip(*values, strict=True)],
            )
        else:
            cursor.executemany(f"{into} VALUES ({', '.join(['%s'] * len(fields))})", values)


class Command(BaseCommand):
    help = (
        "Load the demo cinema (rooms, movies, a month of history, two weeks of showtimes, "
        "bookings, three logins). Safe to run again."
    )

    def handle(self, *args, **options) -> None:
        now = timezone.now()
        with transaction.atomic():
            customer, others = self._users(now)
            rooms = self._rooms()
            movies = {movie.title: movie for movie in self._movies()}
            self._price_cards()
        seats = {room.pk: list(room.seats.order_by("row", "number")) for room in rooms.values()}
        premiere_at = self._local(timezone.localdate() + timedelta(days=PREMIERE_DAYS_AHEAD), PREMIERE_SLOT)
        past, upcoming = self._new_slots(rooms, movies, now, premiere_at)
        history = self._write_history(past, seats, customer, others)
        scheduled, booked = self._schedule_and_book(upcoming, seats, customer, others, now, premiere_at)
        if options["verbosity"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo ready: {len(rooms)} rooms, {len(movies)} movies; "
                    f"{scheduled} new showtimes with {booked} bookings; "
                    f"{len(past)} past showtimes with {history} bookings written as demo history."
                )
            )
            self.stdout.write(logins_text())

    def _user(self, login: Login, joined: datetime) -> User:
        user = User.objects.filter(email__iexact=login.email).first()
        if user is None:
            user = User.objects.create_user(
                email=login.email, name=login.name, password=login.password, date_joined=joined
            )
        return user

    def _users(self, now: datetime) -> tuple[User, list[User]]:
        joined = now - timedelta(days=JOINED_DAYS_AGO)
        superuser = self._user(SUPERUSER, joined)
        # An earlier demo made admin@ a staff member: the printed roles must hold.
        User.objects.filter(pk=superuser.pk).update(is_staff=True, is_superuser=True)
        staff = self._user(STAFF_MEMBER, joined)
        User.objects.filter(pk=staff.pk).update(is_staff=True, is_superuser=False)
        staff.groups.set([Group.objects.get(name=STAFF_GROUP)])
        staff.user_permissions.clear()
        customer = self._user(CUSTOMER, joined)

        emails = {
            f"{first}.{last}@cinema.local".lower(): f"{first} {last}"
            for first in FIRST_NAMES
            for last in LAST_NAMES
        }
        have = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
        User.objects.bulk_create(
            User(email=email, name=name, password=make_password(None), date_joined=joined)
            for email, name in emails.items()
            if email not in have
        )
        return customer, list(User.objects.filter(email__in=emails).order_by("email"))

    def _rooms(self) -> dict[str, Room]:
        rooms = {}
        for name, layout in ROOMS:
            room = Room.objects.filter(name=name).first()
            rooms[name] = room or room_create(name=name, layout=layout)
        return rooms

    def _movies(self) -> list[Movie]:
        """The demo's movies with their genres and a drawn poster (staff's later edits stay)."""
        movies = []
        for title, year, rating, runtime, text in MOVIES:
            movie, created = Movie.objects.get_or_create(
                title=title,
                defaults={"year": year, "rating": rating, "runtime_minutes": runtime, "description": text},
            )
            if created:
                movie.genres.set(
                    Genre.objects.get_or_create(name=name, defaults={"slug": slugify(name)})[0]
                    for name in GENRES[title]
                )
                # (Named: Django reads a poster's size only from a named file.)
                name = f"{slugify(title)}.jpg"
                movie.poster.save(name, ContentFile(demo_poster(movie), name=name), save=False)
                movie_save(movie=movie)
            movies.append(movie)
        return movies

    def _price_cards(self) -> None:
        """The demo's cards, made once (staff's later edits stay)."""
        types = {t.code: t for t in TicketType.objects.all()}
        for name, weekdays, before, priority, prices in PRICE_CARDS:
            card, created = PriceCard.objects.get_or_create(
                name=name, defaults={"weekdays": weekdays, "starts_before": before, "priority": priority}
            )
            if created:
                PriceCardPrice.objects.bulk_create(
                    PriceCardPrice(card=card, ticket_type=types[code], price=Decimal(price))
                    for code, price in prices.items()
                )

    def _new_slots(
        self, rooms: dict[str, Room], movies: dict[str, Movie], now: datetime, premiere_at: datetime
    ) -> tuple[list[Showtime], list[Showtime]]:
        """The demo's showtimes not in the database yet (unsaved): past ones, then those to come.

        A slot another showtime (any status, the demo's or staff's) meets is left alone,
        so a second run adds nothing and staff's own schedule wins.
        """
        today = timezone.localdate()
        first_day = today - timedelta(days=HISTORY_DAYS)
        rotation = [movie for title, movie in movies.items() if title != PREMIERE_MOVIE]
        existing: dict[int, list[tuple[datetime, datetime]]] = {room.pk: [] for room in rooms.values()}
        for room_id, starts_at, free_at in Showtime.objects.filter(
            room__in=rooms.values(), room_free_at__gt=self._local(first_day, "00:00")
        ).values_list("room_id", "starts_at", "room_free_at"):
            existing[room_id].append((starts_at, free_at))

        past, upcoming = [], []
        for day_offset in range(-HISTORY_DAYS, DAYS):
            day = today + timedelta(days=day_offset)
            for room_index, (room_name, slots) in enumerate(SLOTS.items()):
                room = rooms[room_name]
                for slot_index, slot in enumerate(slots):
                    starts_at = self._local(day, slot)
                    if (room_name, starts_at) == (PREMIERE_ROOM, premiere_at):
                        movie = movies[PREMIERE_MOVIE]
                    else:
                        # Once it has opened, the premiere's film joins the rotation.
                        pool = [*rotation, movies[PREMIERE_MOVIE]] if starts_at > premiere_at else rotation
                        movie = pool[(day.toordinal() + room_index * 3 + slot_index) % len(pool)]
                    showtime = Showtime(movie=movie, room=room, starts_at=starts_at, price=Decimal("0"))
                    showtime.set_times()
                    if any(
                        start < showtime.room_free_at and showtime.starts_at < free_at
                        for start, free_at in existing[room.pk]
                    ):
                        continue
                    (past if starts_at <= now else upcoming).append(showtime)
        return past, upcoming

    @staticmethod
    def _local(day: date, slot: str) -> datetime:
        return timezone.make_aware(datetime.combine(day, time.fromisoformat(slot)))

    @transaction.atomic
    def _write_history(
        self,
        showtimes: list[Showtime],
        seats: dict[int, list[Seat]],
        regular: User,
        customers: list[User],
    ) -> int:
        """Past showtimes and their bookings, written directly (the services refuse the
        past), as the services would have left them; returns the bookings written.

        One transaction with the showtimes' creation: no reader can see (and cache)
        a past showtime's seat map before its tickets are there.
        """
        prices = self._history_prices(showtimes)
        Showtime.objects.bulk_create(showtimes)
        ShowtimePrice.objects.bulk_create(
            ShowtimePrice(showtime=showtime, ticket_type=ticket_type, price=price)
            for showtime in showtimes
            for ticket_type, price in prices[showtime.starts_at].items()
        )
        cutoff = timedelta(minutes=settings.BOOKING_CHANGE_CUTOFF_MINUTES)
        bookings: list[tuple] = []
        tickets: list[tuple] = []  # each with its booking's code for now
        codes: set[str] = set()
        for showtime in showtimes:
            rng = _rng(showtime.room, showtime.starts_at)
            share = _demand(showtime.starts_at, showtime.movie, rng)
            guest = regular if rng.random() < REGULAR_SHARE else None
            for party in _parties(seats[showtime.room_id], share, rng, customers, regular=guest):
                code = new_booking_code()
                while code in codes:  # the tickets find their booking by it
                    code = new_booking_code()
                codes.add(code)
                # Booked up to ten days ahead, most in the last two; one cancelled (by its
                # owner, which frees its seats) was booked and cancelled before the cut-off.
                latest = showtime.starts_at - (cutoff if party.cancelled else timedelta(0))
                made_at = latest - timedelta(hours=min(1 + rng.expovariate(1 / 40), 240))
                cancelled_at = (
                    made_at + (latest - made_at) * rng.uniform(0.1, 0.9) if party.cancelled else None
                )
                by_code = {t.code: (t, price) for t, price in prices[showtime.starts_at].items()}
                types = _party_types(party.seat_ids, by_code)
                sold = [by_code[types.get(seat_id, ADULT)] for seat_id in party.seat_ids]
                bookings.append(
                    (
                        code,
                        party.customer.pk,
                        showtime.pk,
                        BookingStatus.CANCELLED if party.cancelled else BookingStatus.CONFIRMED,
                        total_of(price for _type, price in sold),
                        made_at,
                        cancelled_at,
                        party.customer.pk if party.cancelled else None,
                    )
                )
                released = TicketRelease.BOOKING_CANCELLED if party.cancelled else ""
                tickets += [
                    (
                        code,
                        showtime.pk,
                        seat_id,
                        ticket_type.pk,
                        price,
                        not party.cancelled,
                        cancelled_at,
                        released,
                    )
                    for seat_id, (ticket_type, price) in zip(party.seat_ids, sold, strict=True)
                ]
        _insert_rows(Booking, BOOKING_COLUMNS, bookings)
        booking_ids = dict(Booking.objects.filter(showtime__in=showtimes).values_list("code", "pk"))
        _insert_rows(Ticket, TICKET_COLUMNS, [(booking_ids[code], *rest) for code, *rest in tickets])
        sales_recount()
        return len(bookings)

    @staticmethod
    def _history_prices(showtimes: list[Showtime]) -> dict[datetime, dict]:
        """What the cards give each past showtime (the cards read once), its
        `price` set to the adult one, as showtime_schedule would have fixed them."""
        by_start: dict[datetime, dict] = {}
        prices_at = pricer()
        for showtime in showtimes:
            if showtime.starts_at not in by_start:
                by_start[showtime.starts_at] = prices_at(showtime.starts_at)
            prices = by_start[showtime.starts_at]
            showtime.price = adult_price_of(prices)
        return by_start

    def _schedule_and_book(
        self,
        showtimes: list[Showtime],
        seats: dict[int, list[Seat]],
        regular: User,
        customers: list[User],
        now: datetime,
        premiere_at: datetime,
    ) -> tuple[int, int]:
        """Schedule the coming showtimes and book them, all through the services; returns
        how many showtimes and bookings were made."""
        scheduled = booked = 0
        for planned in showtimes:
            try:  # at the prices of the card covering its start
                showtime = showtime_schedule(
                    movie=planned.movie, room=planned.room, starts_at=planned.starts_at
                )
            except ScheduleError:
                continue  # a staff member scheduled something there meanwhile
            scheduled += 1
            rng = _rng(showtime.room, showtime.starts_at)
            hours_ahead = (showtime.starts_at - now) / timedelta(hours=1)
            if (showtime.room.name, showtime.starts_at) == (PREMIERE_ROOM, premiere_at):
                share, guest, cancelled_share = 1.0, regular, 0.0  # the demo customer got tickets too
            elif hours_ahead < BOOKED_DAYS_AHEAD * 24:
                booked_so_far = 1 / (1 + hours_ahead / HALF_BOOKED_HOURS_AHEAD)
                share = _demand(showtime.starts_at, showtime.movie, rng) * booked_so_far
                guest = regular if rng.random() < REGULAR_SHARE else None
                cancelled_share = CANCELLED_SHARE
            else:
                continue
            seats_of_room = seats[showtime.room_id]
            offered = {line.ticket_type.code for line in showtime.prices.select_related("ticket_type")}
            for party in _parties(
                seats_of_room, share, rng, customers, regular=guest, cancelled_share=cancelled_share
            ):
                # Only the demo moviegoer's bookings are mailed: the crowd's would bury them.
                with nullcontext() if party.customer == regular else booking_mails_muted():
                    try:
                        booking = booking_create(
                            user=party.customer,
                            showtime=showtime,
                            seat_ids=party.seat_ids,
                            ticket_types=_party_types(party.seat_ids, offered),
                        )
                    except BookingError:
                        continue  # someone was faster (the demo runs beside a live site)
                    booked += 1
                    if party.cancelled and booking_change_refusal(booking=booking, by=party.customer) is None:
                        booking_cancel(booking=booking, by=party.customer)
        return scheduled, booked
