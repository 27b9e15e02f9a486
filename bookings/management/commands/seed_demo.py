"""An idempotent demo: rooms, movies, two weeks of showtimes, some bookings, two logins."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from bookings.models import Booking
from bookings.services import BookingError, booking_create
from movies.models import Movie
from theaters.models import Room, Showtime
from theaters.services import ScheduleError, room_create, showtime_schedule

STAFF_LOGIN = ("admin@cinema.local", "Theater Admin", "cinema-admin-2026")
CUSTOMER_LOGIN = ("moviegoer@cinema.local", "Maya Moviegoer", "cinema-demo-2026")
OTHER_CUSTOMERS = [
    ("ben@cinema.local", "Ben Okafor"),
    ("chloe@cinema.local", "Chloé Martin"),
    ("dev@cinema.local", "Dev Patel"),
]

ROOMS = [("Grand Hall", 15, 20), ("Studio 2", 10, 14), ("Salon 3", 6, 10)]

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

# Local start times per room, 3 h 15 min apart: the longest film plus cleaning fits.
SLOTS = {
    "Grand Hall": ["11:00", "14:15", "17:30", "20:45"],
    "Studio 2": ["12:00", "15:15", "18:30", "21:45"],
    "Salon 3": ["13:00", "16:15", "19:30"],
}
PRICES = {"Grand Hall": Decimal("13.50"), "Studio 2": Decimal("11.00"), "Salon 3": Decimal("9.50")}
DAYS = 14


class Command(BaseCommand):
    help = (
        "Load the demo (rooms, movies, 14 days of showtimes, some bookings, two logins). Safe to run again."
    )

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            staff, customer, others = self._users()
            rooms = self._rooms()
            movies = self._movies()
            new_showtimes = self._showtimes(rooms, movies)
        new_bookings = self._bookings([customer, *others])
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {len(rooms)} rooms, {len(movies)} movies, "
                f"{new_showtimes} new showtimes, {new_bookings} new bookings."
            )
        )
        self.stdout.write("Demo logins:")
        self.stdout.write(f"  staff     {STAFF_LOGIN[0]} / {STAFF_LOGIN[2]}  (admin at /admin/)")
        self.stdout.write(f"  customer  {CUSTOMER_LOGIN[0]} / {CUSTOMER_LOGIN[2]}")

    def _user(self, email: str, name: str, password: str | None, **flags) -> User:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(email=email, name=name, password=password, **flags)
        return user

    def _users(self) -> tuple[User, User, list[User]]:
        staff = self._user(STAFF_LOGIN[0], STAFF_LOGIN[1], STAFF_LOGIN[2], is_staff=True)
        staff.groups.add(Group.objects.get(name="Theater staff"))
        customer = self._user(*CUSTOMER_LOGIN)
        others = [self._user(email, name, None) for email, name in OTHER_CUSTOMERS]
        return staff, customer, others

    def _rooms(self) -> dict[str, Room]:
        rooms = {}
        for name, rows, per_row in ROOMS:
            room = Room.objects.filter(name=name).first()
            rooms[name] = room or room_create(name=name, rows=rows, seats_per_row=per_row)
        return rooms

    def _movies(self) -> list[Movie]:
        return [
            Movie.objects.get_or_create(
                title=title,
                defaults={"year": year, "rating": rating, "runtime_minutes": runtime, "description": text},
            )[0]
            for title, year, rating, runtime, text in MOVIES
        ]

    def _showtimes(self, rooms: dict[str, Room], movies: list[Movie]) -> int:
        today = timezone.localdate()
        created = 0
        for day_offset in range(DAYS):
            day = today + timedelta(days=day_offset)
            for room_index, (room_name, slots) in enumerate(SLOTS.items()):
                room = rooms[room_name]
                for slot_index, slot in enumerate(slots):
                    starts_at = timezone.make_aware(datetime.combine(day, time.fromisoformat(slot)))
                    if (
                        starts_at <= timezone.now()
                        or Showtime.objects.filter(room=room, starts_at=starts_at).exists()
                    ):
                        continue
                    movie = movies[(day.toordinal() + room_index * 3 + slot_index) % len(movies)]
                    try:
                        showtime_schedule(
                            movie=movie, room=room, starts_at=starts_at, price=PRICES[room_name]
                        )
                    except ScheduleError:
                        continue  # a staff member scheduled something else there
                    created += 1
        return created

    def _bookings(self, customers: list[User]) -> int:
        """A few bookings on the coming showtimes, once: a second run adds none."""
        if Booking.objects.filter(user__in=customers).exists():
            return 0
        created = 0
        showtimes = Showtime.objects.upcoming().filter(bookings__isnull=True).select_related("room")[:40:3]
        for showtime in showtimes:
            rng = random.Random(showtime.pk)
            seats = list(showtime.room.seats.order_by("row", "number").values_list("pk", flat=True))
            start = rng.randrange(0, len(seats) - 12)
            for index, customer in enumerate(customers):
                size = rng.randint(1, 4)
                chosen = seats[start + index * 3 : start + index * 3 + size][:3]
                try:
                    booking_create(user=customer, showtime=showtime, seat_ids=chosen)
                except BookingError:
                    continue
                created += 1
        return created
