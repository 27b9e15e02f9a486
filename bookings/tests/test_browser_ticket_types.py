"""Checkout with ticket types in a real browser: two adults and a child."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from bookings.models import Booking
from bookings.tests.test_browser import log_in, screenshot, seat
from movies.tests.factories import MovieFactory
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def showtime():
    tomorrow = timezone.localdate() + timedelta(days=1)
    return ShowtimeFactory(
        movie=MovieFactory(title="Paddington", rating="G", runtime_minutes=95),
        room=RoomFactory(name="Studio 2", rows=6, seats_per_row=10),
        starts_at=timezone.make_aware(datetime.combine(tomorrow, time(15, 30))),
        price=Decimal("9.00"),
        prices={"child": Decimal("6.00"), "senior": Decimal("7.00")},
    )


def test_two_adults_and_a_child_check_out_with_a_live_total(page: Page, live_server, showtime, customer):
    console_errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    log_in(page, live_server.url, customer, next_path=reverse("bookings:seat-map", args=[showtime.pk]))
    expect(page.locator(".price-list")).to_contain_text("Child €6.00")
    for label in ("C4", "C5", "C6"):
        seat(page, label).check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Checkout")).to_be_visible()
    expect(page.locator("[data-total]")).to_have_text("€27.00")  # all adult by default
    page.get_by_label(re.compile(r"^Adult")).fill("2")
    page.get_by_label(re.compile(r"^Child")).fill("1")
    expect(page.locator("[data-total]")).to_have_text("€24.00")
    expect(page.locator("tr[data-line]").nth(2)).to_contain_text("Child")
    screenshot(page, "checkout-ticket-types")
    page.get_by_role("button", name="Confirm booking").click()

    booking = Booking.objects.get(user=customer)
    expect(page).to_have_url(f"{live_server.url}/bookings/{booking.code}/")
    expect(page.get_by_text("C6: Child €6.00")).to_be_visible()
    assert [(t.seat.label, t.ticket_type.code) for t in booking.held_tickets()] == [
        ("C4", "adult"),
        ("C5", "adult"),
        ("C6", "child"),
    ]
    assert booking.total_price == Decimal("24.00")
    assert console_errors == []


def test_a_child_alone_is_refused_with_a_clear_message(page: Page, live_server, showtime, customer):
    log_in(page, live_server.url, customer, next_path=reverse("bookings:seat-map", args=[showtime.pk]))
    seat(page, "A1").check()
    page.get_by_role("button", name="Continue").click()

    page.get_by_label(re.compile(r"^Adult")).fill("0")
    page.get_by_label(re.compile(r"^Child")).fill("1")
    page.get_by_role("button", name="Confirm booking").click()

    expect(page.get_by_role("alert")).to_contain_text("Child tickets are sold only with an adult ticket")
    assert not Booking.objects.exists()
