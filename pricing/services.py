"""Writes of the price list that the database alone cannot explain."""

from __future__ import annotations

from django.db import models

from cinema.errors import DomainError
from pricing.models import TicketType


class PricingError(DomainError):
    """A refused change to ticket types or price cards."""

    conflicts = frozenset({"ticket_type_in_use", "standard_ticket_type"})


def ticket_type_delete(*, ticket_type: TicketType) -> None:
    if ticket_type.is_adult:
        raise PricingError("standard_ticket_type", "Adult is the standard ticket type: it cannot be deleted.")
    try:
        ticket_type.delete()
    except models.ProtectedError as error:
        raise PricingError(
            "ticket_type_in_use",
            f"“{ticket_type.name}” has prices or tickets, so it cannot be deleted: make it inactive instead.",
        ) from error
