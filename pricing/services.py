"""Writes of the price list that the database alone cannot explain."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _

from cinema.errors import DomainError
from pricing.models import TicketType


class PricingError(DomainError):
    """A refused change to ticket types or price cards."""

    conflicts = frozenset({"ticket_type_in_use", "standard_ticket_type"})


def ticket_type_delete(*, ticket_type: TicketType) -> None:
    if ticket_type.is_adult:
        raise PricingError(
            "standard_ticket_type", _("Adult is the standard ticket type: it cannot be deleted.")
        )
    try:
        ticket_type.delete()
    except models.ProtectedError as error:
        raise PricingError(
            "ticket_type_in_use",
            _("“%(name)s” has prices or tickets, so it cannot be deleted: make it inactive instead.")
            % {"name": ticket_type.name},
        ) from error
