"""Ticket types and price cards: the staff's price list (DESIGN.md "Ticket types and price cards").

An app of its own that imports no other: the schedule (theaters) copies a
card's prices onto each showtime when it is scheduled, and the box office
(bookings) sells tickets of those types at those prices.
"""

from __future__ import annotations

from datetime import time
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

ADULT = "adult"

# ISO weekday numbers, 1 = Monday, as a card's `weekdays` stores them.
WEEKDAY_CHOICES = [
    (1, _("Monday")),
    (2, _("Tuesday")),
    (3, _("Wednesday")),
    (4, _("Thursday")),
    (5, _("Friday")),
    (6, _("Saturday")),
    (7, _("Sunday")),
]
ALL_WEEKDAYS = [number for number, _name in WEEKDAY_CHOICES]


def all_weekdays() -> list[int]:
    return list(ALL_WEEKDAYS)


class TicketTypeQuerySet(models.QuerySet):
    def active(self) -> TicketTypeQuerySet:
        return self.filter(active=True)


class TicketType(models.Model):
    """Adult, Child, Senior…; Adult (code "adult") is the standard type and always offered."""

    name = models.CharField(max_length=50)
    code = models.SlugField(max_length=30, unique=True, help_text=_("What the API calls it, e.g. “child”."))
    order = models.PositiveSmallIntegerField(default=0, help_text=_("Lists show lower numbers first."))
    active = models.BooleanField(default=True, help_text=_("Inactive types are no longer priced or sold."))
    requires_adult = models.BooleanField(
        default=False,
        verbose_name=_("requires an adult"),
        help_text=_("Sold only in a booking with an adult ticket."),
    )

    objects = TicketTypeQuerySet.as_manager()

    # On PostgreSQL the migration pricing/0002 adds a trigger that refuses to
    # delete the adult type or change its code (the admin says why first).

    class Meta:
        verbose_name = _("ticket type")
        verbose_name_plural = _("ticket types")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(code=ADULT) | Q(active=True, requires_adult=False),
                name="pricing_tickettype_adult_standard",
                violation_error_message="Adult is the standard ticket type: it stays active and "
                "needs no other adult.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_adult(self) -> bool:
        return self.code == ADULT


class PriceCard(models.Model):
    """Prices per ticket type for showtimes starting on `weekdays` within a local time window.

    The card with the highest priority covering a showtime's local start prices it
    (pricing/selectors.py); equal priorities go to the card created first.
    """

    name = models.CharField(max_length=100)
    weekdays = models.JSONField(default=all_weekdays, help_text=_("ISO weekday numbers, 1 = Monday."))
    starts_from = models.TimeField(
        null=True, blank=True, help_text=_("Local start from (included); empty: any.")
    )
    starts_before = models.TimeField(
        null=True, blank=True, help_text=_("Local start before (excluded); empty: until midnight.")
    )
    priority = models.IntegerField(default=0, help_text=_("The highest covering card wins."))

    class Meta:
        verbose_name = _("price card")
        verbose_name_plural = _("price cards")
        ordering = ["-priority", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_from__isnull=True)
                | Q(starts_before__isnull=True)
                | Q(starts_from__lt=models.F("starts_before")),
                name="pricing_pricecard_window_forwards",
                violation_error_message=_("The window must start before it ends."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if (
            not isinstance(self.weekdays, list)
            or not self.weekdays
            or any(day not in ALL_WEEKDAYS for day in self.weekdays)
            or len(set(self.weekdays)) != len(self.weekdays)
        ):
            raise ValidationError({"weekdays": _("Choose one or more weekdays.")})

    def covers(self, weekday: int, at: time) -> bool:
        """Whether a showtime starting at local `at` on ISO `weekday` falls on this card."""
        return (
            weekday in self.weekdays
            and (self.starts_from is None or at >= self.starts_from)
            and (self.starts_before is None or at < self.starts_before)
        )


class PriceCardPrice(models.Model):
    card = models.ForeignKey(PriceCard, on_delete=models.CASCADE, related_name="prices")
    ticket_type = models.ForeignKey(TicketType, on_delete=models.PROTECT, related_name="+")
    price = models.DecimalField(max_digits=7, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])

    class Meta:
        verbose_name = _("price card price")
        verbose_name_plural = _("price card prices")
        ordering = ["ticket_type__order", "ticket_type_id"]
        constraints = [
            models.UniqueConstraint(fields=["card", "ticket_type"], name="pricing_pricecardprice_unique"),
            models.CheckConstraint(condition=Q(price__gte=0), name="pricing_pricecardprice_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.card}: {self.ticket_type} {self.price}"
