from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from movies.models import Movie
from pricing.models import TicketType


class Room(models.Model):
    name = models.CharField(max_length=100)
    capacity = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text=_("Its sellable (unblocked) seats, kept in step by the services."),
    )

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="theaters_room_name_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def validate_constraints(self, exclude=None) -> None:
        # The unique name is an expression (Lower("name")), which Django reports for
        # the whole form: it is the name's, said as the services say it.
        try:
            super().validate_constraints(exclude)
        except ValidationError as error:
            if NON_FIELD_ERRORS in error.message_dict:
                raise ValidationError({"name": room_name_taken_message(self.name)}) from error
            raise


def room_name_taken_message(name: str) -> str:
    return _("A room named “%(name)s” already exists.") % {"name": name}


class SeatKind(models.TextChoices):
    STANDARD = "standard", _("Standard")
    WHEELCHAIR = "wheelchair", _("Wheelchair space")
    COMPANION = "companion", _("Companion seat")


class Seat(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="seats")
    row = models.CharField(max_length=1)
    number = models.PositiveSmallIntegerField(
        help_text=_("Counts the row's seats from the left, gaps unnumbered.")
    )
    column = models.PositiveSmallIntegerField(
        help_text=_("Its place in the row's grid from the left, gaps included.")
    )
    kind = models.CharField(max_length=10, choices=SeatKind.choices, default=SeatKind.STANDARD)
    blocked = models.BooleanField(default=False, help_text=_("Not for sale (broken, kept for the crew…)."))

    class Meta:
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        ordering = ["room", "row", "number"]
        constraints = [
            models.UniqueConstraint(fields=["room", "row", "number"], name="theaters_seat_unique_position"),
            models.UniqueConstraint(fields=["room", "row", "column"], name="theaters_seat_unique_column"),
            models.CheckConstraint(condition=Q(column__gte=1), name="theaters_seat_column_positive"),
            models.CheckConstraint(condition=Q(number__gte=1), name="theaters_seat_number_positive"),
            models.CheckConstraint(condition=Q(row__gte="A", row__lte="Z"), name="theaters_seat_row_letter"),
        ]

    def __str__(self) -> str:
        return f"{self.room} {self.label}"

    @property
    def label(self) -> str:
        return f"{self.row}{self.number}"

    @property
    def is_accessible(self) -> bool:
        """A wheelchair space or a companion seat: kept for those who need them."""
        return self.kind != SeatKind.STANDARD


def first_seats_version() -> int:
    # Random, not 0: a showtime id used again (SQLite after a rollback, a
    # restored backup) must not meet what a cache kept for its predecessor.
    return secrets.randbits(62)


class ShowtimeStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class ShowtimeQuerySet(models.QuerySet):
    def scheduled(self) -> ShowtimeQuerySet:
        return self.filter(status=ShowtimeStatus.SCHEDULED)

    def not_started(self, now: datetime | None = None) -> ShowtimeQuerySet:
        """Showtimes that have not started yet, cancelled ones included (the API lists those)."""
        return self.filter(starts_at__gt=now or timezone.now())

    def upcoming(self, now: datetime | None = None) -> ShowtimeQuerySet:
        """Scheduled showtimes that have not started yet: the ones people can go to."""
        return self.scheduled().not_started(now)

    def overlapping(self, *, room: Room, starts_at: datetime, room_free_at: datetime) -> ShowtimeQuerySet:
        """Scheduled showtimes of `room` whose slot (cleaning included) meets this one."""
        return self.scheduled().filter(room=room, starts_at__lt=room_free_at, room_free_at__gt=starts_at)


class Showtime(models.Model):
    """A screening: the seed's "session" (Django already has a Session)."""

    movie = models.ForeignKey(Movie, on_delete=models.CASCADE, related_name="showtimes")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="showtimes")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(editable=False, help_text=_("Start plus the movie's runtime."))
    room_free_at = models.DateTimeField(
        editable=False, help_text=_("End plus the cleaning time: when the room can host the next showtime.")
    )
    price = models.DecimalField(max_digits=7, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])
    status = models.CharField(max_length=10, choices=ShowtimeStatus.choices, default=ShowtimeStatus.SCHEDULED)
    seats_version = models.BigIntegerField(
        default=first_seats_version,
        editable=False,
        help_text=_(
            "Changes with every write to its tickets (bookings/services.py) and its prices "
            "(theaters/services.py), under the showtime's lock: what caches of its seat map and prices are "
            "keyed on."
        ),
    )
    prices_version = models.BigIntegerField(
        default=first_seats_version,
        editable=False,
        help_text=_(
            "Changes with every write to its prices (theaters/services.py), under the showtime's lock: "
            "what the cache of its prices is keyed on, which bookings, moving only its seats, leave warm."
        ),
    )

    objects = ShowtimeQuerySet.as_manager()

    # On PostgreSQL the migration theaters/0002 adds the exclusion constraint
    # theaters_showtime_no_overlap: (room =, tstzrange(starts_at, room_free_at) &&)
    # among scheduled showtimes. SQLite has no such constraint; the service checks.

    class Meta:
        verbose_name = _("showtime")
        verbose_name_plural = _("showtimes")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="theaters_showtime_price_not_negative"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="theaters_showtime_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(room_free_at__gte=F("ends_at")), name="theaters_showtime_free_after_end"
            ),
        ]
        indexes = [
            models.Index(fields=["starts_at"], name="theaters_showtime_starts_idx"),
            models.Index(fields=["room", "starts_at"], name="theaters_showtime_room_idx"),
            models.Index(fields=["movie", "starts_at"], name="theaters_showtime_movie_idx"),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.movie.title} — {self.room.name}, {local:%a %d %b %Y %H:%M}"

    def set_times(self) -> None:
        """Derive the end and the room's turnover from the start and the movie."""
        self.ends_at = self.starts_at + timedelta(minutes=self.movie.runtime_minutes)
        self.room_free_at = self.ends_at + timedelta(minutes=settings.CLEANING_MINUTES)

    @property
    def is_cancelled(self) -> bool:
        return self.status == ShowtimeStatus.CANCELLED

    def has_started(self, now: datetime | None = None) -> bool:
        return self.starts_at <= (now or timezone.now())

    def is_bookable(self, now: datetime | None = None) -> bool:
        return not self.is_cancelled and not self.has_started(now)


class ShowtimePrice(models.Model):
    """What a ticket of one type costs at one showtime: fixed when it is scheduled
    (theaters/services.py), edited by staff since. A showtime offers exactly the
    types it has a price for; its `price` is always its adult one (the services
    keep the two equal). Tickets keep the price they were sold at."""

    showtime = models.ForeignKey(Showtime, on_delete=models.CASCADE, related_name="prices")
    ticket_type = models.ForeignKey(TicketType, on_delete=models.PROTECT, related_name="+")
    price = models.DecimalField(max_digits=7, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])

    class Meta:
        verbose_name = _("showtime price")
        verbose_name_plural = _("showtime prices")
        ordering = ["ticket_type__order", "ticket_type_id"]
        constraints = [
            models.UniqueConstraint(fields=["showtime", "ticket_type"], name="theaters_showtimeprice_unique"),
            models.CheckConstraint(condition=Q(price__gte=0), name="theaters_showtimeprice_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_type} {self.price}"
