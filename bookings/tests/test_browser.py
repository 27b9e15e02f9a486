"""The booking journey in a real browser (Playwright driving Debian's Chromium)."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.tests.factories import PASSWORD
from bookings.models import Booking
from bookings.tests.factories import make_booking
from movies.tests.factories import MovieFactory
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
WIDTHS = {"desktop": (1280, 900), "phone": (375, 812)}


def screenshot(page: Page, name: str) -> None:
    """Full-page shots at desktop and phone widths, kept as test artifacts."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=SCREENSHOTS / f"{name}-{label}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def seat(page: Page, label: str):
    return page.get_by_role("checkbox", name=f"Seat {label}", exact=True)


def log_in(page: Page, base_url: str, user, next_path: str = "/") -> None:
    page.goto(f"{base_url}/accounts/login/?next={next_path}")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


@pytest.fixture
def showtime():
    tomorrow = timezone.localdate() + timedelta(days=1)
    return ShowtimeFactory(
        movie=MovieFactory(title="Metropolis", rating="PG", runtime_minutes=148),
        room=RoomFactory(name="Grand Hall", rows=8, seats_per_row=12),
        starts_at=timezone.make_aware(datetime.combine(tomorrow, time(20, 45))),
    )


def test_a_moviegoer_signs_up_books_changes_and_cancels(page: Page, live_server, showtime, other_customer):
    make_booking(user=other_customer, showtime=showtime, labels=["D6", "D7"])
    page.set_viewport_size({"width": 1280, "height": 900})
    console_errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))

    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Email address").fill("nina@example.com")
    page.get_by_label("Your name").fill("Nina New")
    page.get_by_label("Password", exact=True).fill("a-fresh-tangerine-42")
    page.get_by_label("Password confirmation").fill("a-fresh-tangerine-42")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Nina New")

    page.get_by_role("link", name="Tomorrow").click()
    expect(page.get_by_role("heading", name="Metropolis")).to_be_visible()
    screenshot(page, "whats-on")
    page.get_by_role("link", name=re.compile(r"20:45")).click()

    expect(page).to_have_title(re.compile("Metropolis"))
    seat(page, "D5").check()
    seat(page, "E5").check()
    expect(page.locator("[data-seat-summary]")).to_have_text("2 seats selected · total €25.00")
    screenshot(page, "seat-map")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Checkout")).to_be_visible()
    expect(page.locator("[data-countdown]")).to_have_text(re.compile(r"^\d+:\d\d left\.$"))
    screenshot(page, "checkout")
    page.get_by_role("button", name="Confirm booking").click()

    booking = Booking.objects.get(user__email="nina@example.com")
    expect(page).to_have_url(f"{live_server.url}/bookings/{booking.code}/")
    expect(page.locator("[data-booking-code]")).to_have_text(booking.code)
    expect(page.get_by_text("D5, E5")).to_be_visible()
    screenshot(page, "booking")

    page.get_by_role("link", name="My bookings").click()
    expect(page.get_by_role("link", name=booking.code)).to_be_visible()

    page.get_by_role("link", name=booking.code).click()
    page.get_by_role("link", name="Change seats").click()
    expect(seat(page, "D5")).to_be_checked()
    seat(page, "D5").uncheck()
    seat(page, "E6").check()
    page.get_by_role("button", name="Book these seats").click()
    expect(page.get_by_role("heading", name="Confirm the change")).to_be_visible()
    expect(page.locator("[data-difference]")).to_have_text("€0.00")
    page.get_by_role("button", name="Confirm change").click()
    expect(page.get_by_text("E5, E6")).to_be_visible()

    page.get_by_role("link", name="Cancel booking").click()
    page.get_by_role("button", name="Yes, cancel booking").click()
    expect(page.get_by_text("is cancelled")).to_be_visible()
    booking.refresh_from_db()
    assert booking.is_cancelled
    # No page broke the Content-Security-Policy (inline code) or failed to load a file.
    assert console_errors == []


def test_a_keyboard_alone_books_seats(page: Page, live_server, showtime, customer):
    log_in(page, live_server.url, customer, next_path=reverse("bookings:seat-map", args=[showtime.pk]))

    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('aria-label')") == "Seat A1":
            break
    else:
        pytest.fail("Tab never reached Seat A1")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    expect(seat(page, "A2")).to_be_checked()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Checkout")).to_be_visible()
    page.get_by_role("button", name="Confirm booking").focus()
    page.keyboard.press("Enter")

    expect(page.locator("[data-booking-code]")).to_be_visible()
    assert Booking.objects.get(user=customer).seat_labels() == ["A1", "A2"]


def test_a_seat_booked_by_someone_else_is_disabled(page: Page, live_server, showtime, other_customer):
    make_booking(user=other_customer, showtime=showtime, labels=["C3"])

    page.goto(live_server.url + reverse("bookings:seat-map", args=[showtime.pk]))

    taken = page.get_by_role("checkbox", name="Seat C3 (taken)", exact=True)
    expect(taken).to_be_disabled()
    expect(seat(page, "C4")).to_be_enabled()


def test_the_map_refuses_more_than_the_seat_limit(page: Page, live_server, showtime, settings):
    settings.MAX_SEATS_PER_BOOKING = 2
    page.goto(live_server.url + reverse("bookings:seat-map", args=[showtime.pk]))

    seat(page, "A1").check()
    seat(page, "A2").check()
    seat(page, "A3").click()

    expect(seat(page, "A3")).not_to_be_checked()
    expect(page.get_by_text("at most 2 seats")).to_be_visible()


def test_anonymous_booking_asks_to_log_in_and_comes_back(page: Page, live_server, showtime, customer):
    page.goto(live_server.url + reverse("bookings:seat-map", args=[showtime.pk]))
    seat(page, "B1").check()
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/showtimes/"))
    page.get_by_label("Email").fill(customer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(
        re.compile(re.escape(reverse("bookings:seat-map", args=[showtime.pk])) + r"\?seats=")
    )
    expect(seat(page, "B1")).to_be_checked()


def test_the_map_books_with_javascript_off(browser, live_server, showtime, customer):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, live_server.url, customer, next_path=reverse("bookings:seat-map", args=[showtime.pk]))
        seat(page, "F7").check()
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_text("held for you until")).to_be_visible()
        page.get_by_role("button", name="Extend").click()
        expect(page.get_by_text("held a little longer")).to_be_visible()
        page.get_by_role("button", name="Confirm booking").click()

        expect(page.locator("[data-booking-code]")).to_be_visible()
        assert Booking.objects.get(user=customer).seat_labels() == ["F7"]
    finally:
        context.close()


def test_a_hold_left_to_expire_says_so_at_checkout(page: Page, live_server, showtime, customer, settings):
    settings.HOLD_MINUTES = 0.05  # three seconds
    log_in(page, live_server.url, customer, next_path=reverse("bookings:seat-map", args=[showtime.pk]))
    seat(page, "G2").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("[data-countdown]")).to_be_visible()

    # The countdown reaches zero and the page reloads to what the server says.
    expect(page.locator("[data-hold-ended]")).to_contain_text("has expired", timeout=10_000)
    expect(page.get_by_role("button", name="Confirm booking")).to_have_count(0)
    page.get_by_role("link", name="Back to the seat map").click()
    expect(seat(page, "G2")).to_be_checked()
    assert not Booking.objects.exists()


def test_a_seat_booked_in_one_browser_greys_out_in_another(
    browser, page: Page, live_server, showtime, customer, other_customer
):
    page.goto(live_server.url + reverse("bookings:seat-map", args=[showtime.pk]))
    seat(page, "H4").check()

    other = browser.new_context().new_page()
    try:
        log_in(
            other, live_server.url, other_customer, next_path=reverse("bookings:seat-map", args=[showtime.pk])
        )
        seat(other, "H4").check()
        other.get_by_role("button", name="Continue").click()
        other.get_by_role("button", name="Confirm booking").click()
        expect(other.locator("[data-booking-code]")).to_be_visible()
    finally:
        other.context.close()

    taken = page.get_by_role("checkbox", name="Seat H4 (taken)", exact=True)
    expect(taken).to_be_disabled(timeout=10_000)
    expect(taken).not_to_be_checked()
    expect(page.locator("[data-seat-news]")).to_contain_text("H4 was just taken")
