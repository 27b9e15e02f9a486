"""Prices in the theater's CURRENCY, written as the active language writes them;
the API keeps plain decimal strings and names the currency beside them."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from bookings.tests.factories import make_booking
from cinema.money import format_money
from cinema.tests.clients import api_client
from theaters.tests.factories import ShowtimeFactory

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("language", "currency", "amount", "expected"),
    [
        ("en", "EUR", "13.5", "€13.50"),
        ("en-us", "USD", "1234.5", "$1,234.50"),
        ("en", "CHF", "9", f"CHF{NBSP}9.00"),
        ("pt-pt", "EUR", "13.5", f"13,50{NBSP}€"),
        ("pt-pt", "EUR", "1234.5", f"1.234,50{NBSP}€"),
    ],
)
def test_it_writes_money_as_the_active_language_does(settings, language, currency, amount, expected):
    settings.CURRENCY = currency
    with translation.override(language):
        assert format_money(Decimal(amount)) == expected


def test_the_template_filter_uses_the_theater_currency(settings):
    settings.CURRENCY = "GBP"
    rendered = Template("{% load money %}{{ price|money }}|{{ missing|money }}|{% currency_code %}").render(
        Context({"price": Decimal("8")})
    )

    assert rendered == "£8.00||GBP"
    signed = Template("{% load money %}{{ up|signed_money }} {{ down|signed_money }} {{ none|signed_money }}")
    differences = {"up": Decimal("10"), "down": Decimal("-2.5"), "none": Decimal("0")}
    assert signed.render(Context(differences)) == "+£10.00 \u2212£2.50 £0.00"


def test_a_currency_that_is_not_an_iso_code_stops_the_start():
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "cinema.settings", "CURRENCY": "euro"}
    env["DJANGO_SECRET_KEY"] = "currency-test-secret-key-long-enough"
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True
    )

    assert done.returncode != 0
    assert "CURRENCY is an ISO 4217 code" in done.stderr


@pytest.mark.django_db
def test_pages_show_prices_with_the_currency(client, customer):
    booking = make_booking(user=customer, showtime=ShowtimeFactory(), labels=["A1", "A2"])
    client.force_login(customer)

    seat_map = client.get(f"/showtimes/{booking.showtime_id}/").content.decode()
    ticket = client.get(f"/bookings/{booking.code}/").content.decode()

    assert f"Adult {format_money(booking.showtime.price)}" in seat_map
    assert format_money(booking.total_price) in ticket
    assert 'data-currency="EUR"' in seat_map


@pytest.mark.django_db
def test_the_api_keeps_decimal_strings_and_names_the_currency(customer, settings):
    settings.CURRENCY = "USD"
    showtime = ShowtimeFactory(price=Decimal("12.50"))
    booking = make_booking(user=customer, showtime=showtime, labels=["A1"])
    client = api_client(customer)

    session = client.get(f"/api/sessions/{showtime.pk}").json()
    mine = client.get(f"/api/bookings/{booking.pk}").json()

    assert (session["price"], session["currency"]) == ("12.50", "USD")
    assert (mine["total_price"], mine["currency"]) == ("12.50", "USD")
    assert booking.total_price == Decimal("12.50")
