"""The standard price list and Adult's place in it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from pricing.models import PriceCard, TicketType
from pricing.services import PricingError, ticket_type_delete

pytestmark = pytest.mark.django_db


def test_the_migration_makes_four_types_and_a_standard_card():
    types = list(TicketType.objects.values_list("code", "requires_adult"))
    card = PriceCard.objects.get(name="Standard")

    assert types == [("adult", False), ("child", True), ("senior", False), ("student", False)]
    assert card.weekdays == [1, 2, 3, 4, 5, 6, 7] and card.starts_from is card.starts_before is None
    assert {p.ticket_type.code: p.price for p in card.prices.all()} == {
        "adult": Decimal("9.50"),
        "child": Decimal("6.50"),
        "senior": Decimal("7.00"),
        "student": Decimal("7.50"),
    }


def test_adult_cannot_be_deleted_by_the_service():
    with pytest.raises(PricingError) as refusal:
        ticket_type_delete(ticket_type=TicketType.objects.get(code="adult"))

    assert refusal.value.code == "standard_ticket_type"
    assert TicketType.objects.filter(code="adult").exists()


def test_a_type_with_prices_is_refused_and_kept_with_the_advice_to_make_it_inactive():
    with pytest.raises(PricingError, match="make it inactive"):
        ticket_type_delete(ticket_type=TicketType.objects.get(code="child"))

    assert TicketType.objects.filter(code="child", active=True).exists()


def test_the_database_keeps_adult_active_and_standalone():
    with pytest.raises(IntegrityError), transaction.atomic():
        TicketType.objects.filter(code="adult").update(active=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        TicketType.objects.filter(code="adult").update(requires_adult=True)


@pytest.mark.postgres
def test_on_postgresql_adult_cannot_be_deleted_or_renamed_even_behind_the_services_back():
    with pytest.raises(IntegrityError), transaction.atomic():
        PriceCard.objects.all().delete()  # its prices protect nothing then
        TicketType.objects.filter(code="adult").delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        TicketType.objects.filter(code="adult").update(code="grown-up")


def test_the_api_lists_the_active_types_in_order_unpaginated(client):
    TicketType.objects.filter(code="student").update(active=False)

    response = client.get(reverse("api:pricing:ticket-type-list"))

    assert response.status_code == 200
    assert response.json() == [
        {"code": "adult", "name": "Adult", "requires_adult": False},
        {"code": "child", "name": "Child", "requires_adult": True},
        {"code": "senior", "name": "Senior", "requires_adult": False},
    ]
