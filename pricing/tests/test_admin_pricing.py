"""The price list in the admin, as a "Theater staff" member keeps it."""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from bookings.tests.test_admin import showtime_form
from movies.tests.factories import MovieFactory
from pricing.models import PriceCard, TicketType
from pricing.tests.factories import price_card
from theaters.models import Showtime, ShowtimePrice
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, theater_staff):
    client.force_login(theater_staff)
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def card_form(**overrides) -> dict:
    form = {
        "name": "Matinee before 17:00",
        "weekdays": ["1", "2", "3", "4", "5"],
        "starts_from": "",
        "starts_before": "17:00",
        "priority": "10",
        "prices-TOTAL_FORMS": "2",
        "prices-INITIAL_FORMS": "0",
        "prices-MIN_NUM_FORMS": "1",
        "prices-MAX_NUM_FORMS": "1000",
        "prices-0-ticket_type": str(TicketType.objects.get(code="adult").pk),
        "prices-0-price": "7.50",
        "prices-1-ticket_type": str(TicketType.objects.get(code="child").pk),
        "prices-1-price": "5.50",
    }
    return form | overrides


def test_the_index_lists_ticket_types_and_price_cards_with_every_permission(staff_client):
    response = staff_client.get(reverse("admin:index"))

    models = {model["object_name"]: model for app in response.context["app_list"] for model in app["models"]}
    for name in ("TicketType", "PriceCard"):
        assert models[name]["perms"] == {"add": True, "change": True, "delete": True, "view": True}


def test_they_add_a_price_card_with_weekday_checkboxes_and_prices(staff_client):
    page = staff_client.get(reverse("admin:pricing_pricecard_add")).content.decode()
    response = staff_client.post(reverse("admin:pricing_pricecard_add"), card_form())

    assert 'type="checkbox" name="weekdays" value="1"' in page and "Monday" in page
    assert response.status_code == 302
    card = PriceCard.objects.get(name="Matinee before 17:00")
    assert card.weekdays == [1, 2, 3, 4, 5] and card.starts_before == time(17)
    assert {p.ticket_type.code: p.price for p in card.prices.all()} == {
        "adult": Decimal("7.50"),
        "child": Decimal("5.50"),
    }
    listed = staff_client.get(reverse("admin:pricing_pricecard_changelist")).content.decode()
    assert "Mon, Tue, Wed, Thu, Fri" in listed and "from 00:00, before 17:00" in listed


def test_a_card_without_weekdays_or_with_a_backwards_window_is_a_form_error(staff_client):
    no_days = staff_client.post(reverse("admin:pricing_pricecard_add"), card_form(weekdays=[]))
    backwards = staff_client.post(
        reverse("admin:pricing_pricecard_add"), card_form(starts_from="18:00", starts_before="17:00")
    )

    assert "weekdays" in no_days.context["adminform"].form.errors
    assert "The window must start before it ends." in backwards.content.decode()
    assert not PriceCard.objects.exclude(name="Standard").exists()


def test_they_add_a_ticket_type(staff_client):
    response = staff_client.post(
        reverse("admin:pricing_tickettype_add"),
        {"name": "Member", "code": "member", "order": "50", "active": "on"},
    )

    assert response.status_code == 302
    assert TicketType.objects.get(code="member").name == "Member"


def test_adult_cannot_be_deleted_and_says_why(staff_client):
    adult = TicketType.objects.get(code="adult")
    url = reverse("admin:pricing_tickettype_delete", args=[adult.pk])

    response = staff_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert messages_of(response) == ["Adult is the standard ticket type: it cannot be deleted."]
    assert TicketType.objects.filter(code="adult").exists()


def test_adults_code_and_active_flag_are_read_only_and_a_forged_post_changes_nothing(staff_client):
    adult = TicketType.objects.get(code="adult")
    url = reverse("admin:pricing_tickettype_change", args=[adult.pk])

    page = staff_client.get(url).content.decode()
    staff_client.post(url, {"name": "Grown-up", "code": "grown-up", "order": "10", "requires_adult": "on"})

    assert 'name="code"' not in page and 'name="active"' not in page
    adult.refresh_from_db()
    assert (adult.name, adult.code, adult.active, adult.requires_adult) == ("Grown-up", "adult", True, False)


def test_a_used_type_is_not_deleted_and_says_to_make_it_inactive(staff_client):
    child = TicketType.objects.get(code="child")

    response = staff_client.post(reverse("admin:pricing_tickettype_delete", args=[child.pk]), {"post": "yes"})

    assert "make it inactive instead" in messages_of(response)[0]
    assert TicketType.objects.filter(code="child").exists()


# Showtimes' prices in the admin


def test_a_new_showtime_takes_the_cards_prices_for_what_is_left_empty(staff_client):
    movie, room = MovieFactory(), RoomFactory()
    starts_at = (timezone.now() + timedelta(days=3)).replace(hour=20, minute=0, second=0, microsecond=0)
    form = showtime_form(movie, room, starts_at, price="") | {"price_child": "4.00"}

    response = staff_client.post(reverse("admin:theaters_showtime_add"), form)

    assert response.status_code == 302
    showtime = Showtime.objects.get()
    prices = dict(ShowtimePrice.objects.filter(showtime=showtime).values_list("ticket_type__code", "price"))
    assert prices == {
        "adult": Decimal("9.50"),
        "child": Decimal("4.00"),
        "senior": Decimal("7.00"),
        "student": Decimal("7.50"),
    }
    assert showtime.price == Decimal("9.50")


def test_without_a_card_a_new_showtime_needs_its_adult_price(staff_client):
    PriceCard.objects.all().delete()
    starts_at = (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)

    response = staff_client.post(
        reverse("admin:theaters_showtime_add"),
        showtime_form(MovieFactory(), RoomFactory(), starts_at, price=""),
    )

    assert response.context["adminform"].form.errors["price"] == [
        "No price card covers this start: give the adult price."
    ]
    assert not Showtime.objects.exists()


def test_a_scheduled_showtime_shows_its_prices_and_an_emptied_one_stops_selling(staff_client):
    showtime = ShowtimeFactory(price=Decimal("12.00"), prices={"child": Decimal("8.00")})
    url = reverse("admin:theaters_showtime_change", args=[showtime.pk])

    page = staff_client.get(url).content.decode()
    form = showtime_form(showtime.movie, showtime.room, showtime.starts_at, "11.00") | {
        "price_child": "",
        "price_senior": "6.00",
    }
    response = staff_client.post(url, form)

    assert 'name="price_child" value="8.00"' in page and "js/admin-showtime-prices.js" in page
    assert response.status_code == 302
    prices = dict(ShowtimePrice.objects.filter(showtime=showtime).values_list("ticket_type__code", "price"))
    assert prices == {"adult": Decimal("11.00"), "senior": Decimal("6.00")}


def test_the_price_preview_gives_the_covering_cards_prices(staff_client):
    price_card("Matinee", prices={"adult": "7.50"}, starts_before=time(17), priority=10)
    url = reverse("admin:theaters_showtime_price_preview")

    matinee = staff_client.get(url, {"date": "2030-01-07", "time": "14:00"}).json()
    evening = staff_client.get(url, {"date": "2030-01-07", "time": "20:00"}).json()
    bad = staff_client.get(url, {"date": "soon", "time": "20:00"})

    assert matinee == {"card": "Matinee", "prices": {"adult": "7.50"}}
    assert evening["card"] == "Standard" and evening["prices"]["child"] == "6.50"
    assert bad.status_code == 400


def test_the_price_preview_is_for_staff_only(client, customer):
    client.force_login(customer)

    url = reverse("admin:theaters_showtime_price_preview")

    response = client.get(url, {"date": "2030-01-07", "time": "14:00"})

    assert response.status_code == 403  # the admin's staff-only page, as everywhere in it
