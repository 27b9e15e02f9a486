from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Exists, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from pricing.models import TicketType
from theaters.models import Seat, Showtime

# No 0/O or 1/I: a code is read aloud at the door and typed by hand.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def new_booking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")


class BookingQuerySet(models.QuerySet):
    def confirmed(self) -> BookingQuerySet:
        return self.filter(status=BookingStatus.CONFIRMED)

    def for_user(self, user) -> BookingQuerySet:
        return self.filter(user=user)

    def with_checked_in_at(self) -> BookingQuerySet:
        """Each booking's `checked_in_at` read in the same query (over the live check-in's unique index)."""
        live = CheckIn.objects.live().filter(booking=models.OuterRef("pk"))
        return self.annotate(checked_in_at=models.Subquery(live.values("at")[:1]))

    def with_details(self) -> BookingQuerySet:
        """Everything a booking list shows, in a constant number of queries."""
        return (
            self.with_checked_in_at()
            .select_related("showtime__movie", "showtime__room", "user")
            .prefetch_related(
                models.Prefetch(
                    "tickets",
                    queryset=Ticket.objects.select_related("seat", "ticket_type").order_by(
                        "seat__row", "seat__number"
                    ),
                    to_attr="ticket_list",
                )
            )
        )


class Booking(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings")
    showtime = models.ForeignKey(Showtime, on_delete=models.PROTECT, related_name="bookings")
    code = models.CharField(max_length=CODE_LENGTH, unique=True, editable=False)
    status = models.CharField(max_length=10, choices=BookingStatus.choices, default=BookingStatus.CONFIRMED)
    total_price = models.DecimalField(max_digits=9, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The calendar invitation's SEQUENCE: one more for each change of seats and the cancel
    # (a database default: bulk writers such as seed_demo and the benchmark leave it out).
    sequence = models.PositiveIntegerField(db_default=0, editable=False)
    # The language of the request that booked it: its e-mails are written in it, whoever
    # changes or cancels it later. Empty (bulk writers): the site's LANGUAGE_CODE.
    language = models.CharField(max_length=15, db_default="", blank=True, editable=False)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_price__gte=0), name="bookings_booking_total_not_negative"
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=BookingStatus.CONFIRMED, cancelled_at__isnull=True)
                    | Q(status=BookingStatus.CANCELLED, cancelled_at__isnull=False)
                ),
                name="bookings_booking_cancelled_at_matches_status",
            ),
            # The target of the tickets' (booking, showtime) foreign key: see Ticket.
            models.UniqueConstraint(fields=["id", "showtime"], name="bookings_booking_id_showtime_unique"),
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="bookings_booking_user_idx"),
            models.Index(fields=["showtime", "status"], name="bookings_booking_showtime_idx"),
            models.Index(fields=["status", "-created_at"], name="bookings_booking_status_idx"),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("bookings:booking-detail", args=[self.code])

    @property
    def is_cancelled(self) -> bool:
        return self.status == BookingStatus.CANCELLED

    @property
    def change_cutoff(self) -> datetime:
        """Until when its owner may change or cancel it (staff may at any time)."""
        return self.showtime.starts_at - timedelta(minutes=settings.BOOKING_CHANGE_CUTOFF_MINUTES)

    @cached_property
    def checked_in_at(self) -> datetime | None:
        """When it was admitted at the door (its live check-in), or None; read by
        `with_checked_in_at()` in the booking's own query."""
        live = self.checkins.live().first()
        return live.at if live else None

    @cached_property
    def ticket_list(self) -> list[Ticket]:
        """All its tickets in seat order, with their seats. `with_details()` prefetches
        them into this attribute, and the services set it to what they just wrote."""
        return list(self.tickets.select_related("seat", "ticket_type").order_by("seat__row", "seat__number"))

    def refresh_from_db(self, *args, **kwargs) -> None:
        super().refresh_from_db(*args, **kwargs)
        # Its tickets and check-in are read again too.
        self.__dict__.pop("ticket_list", None)
        self.__dict__.pop("checked_in_at", None)

    def held_tickets(self) -> list[Ticket]:
        """The tickets it holds, or held when it was cancelled."""
        if self.is_cancelled:
            return [t for t in self.ticket_list if t.released_because == TicketRelease.BOOKING_CANCELLED]
        return [t for t in self.ticket_list if t.active]

    def seat_labels(self) -> list[str]:
        return [t.seat.label for t in self.held_tickets()]

    def ticket_summary(self) -> str:
        """How many tickets of each type it holds, in ticket type order: "2 Adult, 1 Child"."""
        counts: dict[TicketType, int] = {}
        for ticket in sorted(self.held_tickets(), key=lambda t: (t.ticket_type.order, t.ticket_type_id)):
            counts[ticket.ticket_type] = counts.get(ticket.ticket_type, 0) + 1
        return ", ".join(f"{count} {ticket_type.name}" for ticket_type, count in counts.items())


def seats_sold() -> models.Count:
    """For `Showtime.objects.annotate(seats_sold=seats_sold())`: its active tickets,
    a correlated count over the partial unique index."""
    return models.Count("tickets", filter=Q(tickets__active=True))


def seat_taken(showtime: Showtime, *, except_booking: Booking | None = None) -> models.Exists:
    """Correlated on an outer Seat query: an active ticket of `showtime` (of another
    booking than `except_booking`) holds the seat; read over the partial unique index."""
    held = Ticket.objects.filter(showtime_id=showtime.pk, seat=models.OuterRef("pk"), active=True)
    if except_booking is not None:
        held = held.exclude(booking_id=except_booking.pk)
    return models.Exists(held)


class TicketRelease(models.TextChoices):
    """Why a ticket gave its seat up."""

    SEATS_CHANGED = "seats_changed", _("Seats changed")
    BOOKING_CANCELLED = "booking_cancelled", _("Booking cancelled")


class Ticket(models.Model):
    """One seat of a booking (the seed's BookingSeat).

    `showtime` is copied from the booking so the database can enforce that a
    seat is sold at most once per showtime; cancelled tickets stay, inactive.
    On PostgreSQL the migration bookings/0003 adds the foreign key
    bookings_ticket_showtime_of_booking: (booking_id, showtime_id) references
    the booking's (id, showtime_id), so the copy can never disagree.
    """

    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="tickets")
    showtime = models.ForeignKey(Showtime, on_delete=models.PROTECT, related_name="tickets")
    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="tickets")
    ticket_type = models.ForeignKey(TicketType, on_delete=models.PROTECT, related_name="tickets")
    price = models.DecimalField(max_digits=7, decimal_places=2, help_text=_("What it was sold at."))
    active = models.BooleanField(default=True)
    released_at = models.DateTimeField(null=True, blank=True, help_text=_("When the seat was given up."))
    released_because = models.CharField(max_length=20, choices=TicketRelease.choices, blank=True)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["seat__row", "seat__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["showtime", "seat"],
                condition=Q(active=True),
                name="bookings_ticket_seat_sold_once",
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="bookings_ticket_price_not_negative"),
            models.CheckConstraint(
                condition=Q(active=True, released_at__isnull=True)
                | Q(active=False, released_at__isnull=False),
                name="bookings_ticket_released_at_matches_active",
            ),
            models.CheckConstraint(
                condition=Q(active=True, released_because="") | (Q(active=False) & ~Q(released_because="")),
                name="bookings_ticket_released_because_matches_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.booking.code} {self.seat.label}"


class HoldStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    RELEASED = "released", _("Released")
    BOOKED = "booked", _("Booked")


class HoldQuerySet(models.QuerySet):
    def active(self, now: datetime | None = None) -> HoldQuerySet:
        """Holds whose seats are still kept: not ended, and not past their expiry."""
        return self.filter(status=HoldStatus.ACTIVE, expires_at__gt=now or timezone.now())

    def with_seats(self) -> HoldQuerySet:
        """Each hold's `seat_list` read for the whole list in one more query."""
        return self.prefetch_related(
            models.Prefetch(
                "seats",
                queryset=HoldSeat.objects.select_related("seat").order_by("seat__row", "seat__number"),
                to_attr="seat_list",
            )
        )


class Hold(models.Model):
    """Seats kept for one customer while they check out (DESIGN.md "Seat holds").

    A hold past its `expires_at` frees its seats at that very moment: every read
    and write compares `expires_at` with now, so no job is needed. Its rows keep
    `status` "active" until a write of the showtime (under its lock) ends them.
    """

    # Holds are passing: they go with their showtime or user (a booked one's booking stays).
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="holds")
    showtime = models.ForeignKey(Showtime, on_delete=models.CASCADE, related_name="holds")
    status = models.CharField(max_length=10, choices=HoldStatus.choices, default=HoldStatus.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    renewals = models.PositiveSmallIntegerField(default=0, help_text=_("How many times it was extended."))
    booking = models.OneToOneField(
        Booking,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hold",
        help_text=_("What it became."),
    )

    objects = HoldQuerySet.as_manager()

    class Meta:
        verbose_name = _("hold")
        verbose_name_plural = _("holds")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One hold per customer and showtime: a new one replaces it (under the showtime's lock).
            models.UniqueConstraint(
                fields=["user", "showtime"],
                condition=Q(status=HoldStatus.ACTIVE),
                name="bookings_hold_one_active_per_user",
            ),
            models.CheckConstraint(
                condition=Q(status=HoldStatus.BOOKED, booking__isnull=False)
                | (~Q(status=HoldStatus.BOOKED) & Q(booking__isnull=True)),
                name="bookings_hold_booked_has_booking",
            ),
        ]
        indexes = [
            models.Index(fields=["showtime", "status", "expires_at"], name="bookings_hold_showtime_idx")
        ]

    def __str__(self) -> str:
        return f"Hold {self.pk} by {self.user_id} of {self.showtime_id}"

    def get_absolute_url(self) -> str:
        return reverse("bookings:checkout", args=[self.pk])

    def current_status(self, now: datetime | None = None) -> str:
        """`status`, with an active hold past its expiry read as expired."""
        if self.status == HoldStatus.ACTIVE and self.expires_at <= (now or timezone.now()):
            return HoldStatus.EXPIRED
        return self.status

    def is_active(self, now: datetime | None = None) -> bool:
        return self.current_status(now) == HoldStatus.ACTIVE

    @property
    def renewals_left(self) -> int:
        return max(settings.HOLD_RENEWALS - self.renewals, 0)

    def seat_labels(self) -> list[str]:
        return [held.seat.label for held in self.seat_list]

    @cached_property
    def seat_list(self) -> list[HoldSeat]:
        """Its seats in row order, with their seats; `with_seats()` prefetches them here."""
        return list(self.seats.select_related("seat").order_by("seat__row", "seat__number"))


class HoldSeat(models.Model):
    """One seat of a hold. `showtime` is copied from the hold so that the partial
    unique constraint keeps a seat in at most one hold's keeping at a time."""

    hold = models.ForeignKey(Hold, on_delete=models.CASCADE, related_name="seats")
    showtime = models.ForeignKey(Showtime, on_delete=models.CASCADE, related_name="+")
    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="+")
    active = models.BooleanField(
        default=True, help_text=_("Off once the hold ended (expired, released, booked).")
    )

    class Meta:
        verbose_name = _("hold seat")
        verbose_name_plural = _("hold seats")
        ordering = ["seat__row", "seat__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["showtime", "seat"], condition=Q(active=True), name="bookings_holdseat_held_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hold_id} {self.seat.label}"


def seat_held_until(showtime: Showtime, now: datetime, *, except_user=None) -> models.Subquery:
    """Correlated on an outer Seat query: when the unexpired hold of `showtime` that
    keeps the seat (not one of `except_user`'s) expires, or None when none does."""
    held = HoldSeat.objects.filter(
        showtime_id=showtime.pk,
        seat=models.OuterRef("pk"),
        active=True,
        hold__status=HoldStatus.ACTIVE,
        hold__expires_at__gt=now,
    )
    if except_user is not None:
        held = held.exclude(hold__user=except_user)
    return models.Subquery(held.values("hold__expires_at")[:1])


def sales_close_at(showtime: Showtime) -> datetime:
    """When customers can no longer hold or book its seats online (staff can until the start)."""
    return showtime.starts_at - timedelta(minutes=settings.SALES_CLOSE_MINUTES)


LIVE_CHECKIN = Q(undone_at__isnull=True)


class CheckInQuerySet(models.QuerySet):
    def live(self) -> CheckInQuerySet:
        """Check-ins not undone: at most one per booking (bookings_checkin_one_live)."""
        return self.filter(LIVE_CHECKIN)


class CheckIn(models.Model):
    """A booking admitted at the door (DESIGN.md "Check-in at the door"). An undo
    keeps the row, with who undid it and when; at most one is live per booking."""

    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="checkins")
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = CheckInQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            # Two staff scanning one ticket at once: the second insert fails here.
            models.UniqueConstraint(
                fields=["booking"], condition=LIVE_CHECKIN, name="bookings_checkin_one_live"
            ),
            models.CheckConstraint(
                condition=Q(undone_at__isnull=True, undone_by__isnull=True)
                | Q(undone_at__isnull=False, undone_by__isnull=False),
                name="bookings_checkin_undone_by_with_undone_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.booking_id} at {self.at:%Y-%m-%d %H:%M}"


def ticket_admitted() -> Exists:
    """Whether the outer ticket's booking has a live check-in (tickets admitted)."""
    return Exists(CheckIn.objects.live().filter(booking=models.OuterRef("booking_id")))


def accessible_release_at(showtime: Showtime) -> datetime:
    """When its companion seats go on general sale with the rest (wheelchair spaces always are)."""
    return showtime.starts_at - timedelta(minutes=settings.ACCESSIBLE_RELEASE_MINUTES)


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    OFFERED = "offered", _("Offered")
    BOOKED = "booked", _("Booked")
    EXPIRED = "expired", _("Expired")
    LEFT = "left", _("Left")


# Entries still in the queue: they hold a place in it (and count for `position`).
WAITLIST_LIVE = (WaitlistStatus.WAITING, WaitlistStatus.OFFERED)


class WaitlistEntryQuerySet(models.QuerySet):
    def live(self) -> WaitlistEntryQuerySet:
        return self.filter(status__in=WAITLIST_LIVE)

    def with_position(self) -> WaitlistEntryQuerySet:
        """Each live entry's place in its showtime's queue (1 = next), read in the
        same query; None for an entry that has left the queue."""
        earlier = (
            WaitlistEntry.objects.filter(showtime=models.OuterRef("showtime"), status__in=WAITLIST_LIVE)
            .filter(
                Q(created_at__lt=models.OuterRef("created_at"))
                | Q(created_at=models.OuterRef("created_at"), pk__lt=models.OuterRef("pk"))
            )
            .order_by()
            .values("showtime")
            .annotate(count=models.Count("pk"))
            .values("count")
        )
        return self.annotate(
            position=models.Case(
                models.When(
                    status__in=WAITLIST_LIVE,
                    then=Coalesce(models.Subquery(earlier), 0) + 1,
                ),
                default=None,
                output_field=models.IntegerField(),
            )
        )


class WaitlistEntry(models.Model):
    """A customer queueing for a sold-out showtime (DESIGN.md "Waiting list"). Freed
    seats are offered in `created_at` order as a hold (`hold`) of the best seats."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="waitlist")
    showtime = models.ForeignKey(Showtime, on_delete=models.CASCADE, related_name="waitlist")
    party_size = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=WaitlistStatus.choices, default=WaitlistStatus.WAITING)
    created_at = models.DateTimeField(default=timezone.now, help_text=_("Its place in the queue."))
    hold = models.OneToOneField(
        Hold,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="waitlist_entry",
        help_text=_("The seats offered."),
    )
    # The language of the request that joined: the offer's e-mail is written in it.
    language = models.CharField(max_length=15, db_default="", blank=True, editable=False)

    objects = WaitlistEntryQuerySet.as_manager()
    position: int | None  # read by `with_position()`

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("waiting list entry")
        verbose_name_plural = _("waiting list entries")
        constraints = [
            # Once per customer: two joins racing, the second insert fails here.
            models.UniqueConstraint(
                fields=["user", "showtime"],
                condition=Q(status__in=WAITLIST_LIVE),
                name="bookings_waitlist_once_per_user",
            ),
            models.CheckConstraint(condition=Q(party_size__gte=1), name="bookings_waitlist_party_size"),
            models.CheckConstraint(
                condition=~Q(status=WaitlistStatus.OFFERED) | Q(hold__isnull=False),
                name="bookings_waitlist_offer_has_hold",
            ),
        ]
        indexes = [
            models.Index(fields=["showtime", "status", "created_at"], name="bookings_waitlist_queue_idx")
        ]

    def __str__(self) -> str:
        return f"{self.user} waiting for {self.showtime_id} ({self.party_size})"

    def current_status(self, now: datetime | None = None) -> str:
        """`status`, with an offer read by its hold: booked, or expired once the hold
        ended unbooked (the task that hands it on runs at its expiry)."""
        if self.status != WaitlistStatus.OFFERED or self.hold is None:
            return self.status
        held = self.hold.current_status(now)
        if held == HoldStatus.BOOKED:
            return WaitlistStatus.BOOKED
        return WaitlistStatus.OFFERED if held == HoldStatus.ACTIVE else WaitlistStatus.EXPIRED


class TicketTypeSales(models.Model):
    """What a showtime has sold of one ticket type, kept by every write of its
    tickets or check-ins, under the showtime's lock (bookings/sales.py): the
    insights read these instead of counting millions of tickets."""

    showtime = models.ForeignKey(Showtime, on_delete=models.CASCADE, related_name="sales")
    ticket_type = models.ForeignKey(TicketType, on_delete=models.CASCADE, related_name="+")
    tickets = models.PositiveIntegerField(default=0, help_text=_("Seats held by confirmed bookings."))
    revenue = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    checked_in = models.PositiveIntegerField(default=0, help_text=_("Of those, the ones admitted."))
    bookings = models.PositiveIntegerField(default=0, help_text=_("Confirmed bookings with a ticket of it."))
    # A booking of two types is in `bookings` of both; here it is in its first
    # type's only, so a showtime's rows add up to its bookings.
    bookings_led = models.PositiveIntegerField(
        default=0, help_text=_("Of those, the ones whose first ticket type it is.")
    )

    class Meta:
        verbose_name = _("ticket type sales")
        verbose_name_plural = _("ticket type sales")
        constraints = [
            models.UniqueConstraint(fields=["showtime", "ticket_type"], name="bookings_sales_once_per_type"),
        ]

    def __str__(self) -> str:
        return f"{self.showtime_id} {self.ticket_type_id}: {self.tickets}"
