"""The door's page in a real browser at phone width (Playwright driving Debian's Chromium)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from bookings.models import CheckIn
from bookings.tests.factories import make_booking
from bookings.tests.test_browser import SCREENSHOTS, log_in
from movies.tests.factories import MovieFactory
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def showtime():
    return ShowtimeFactory(
        movie=MovieFactory(title="Metropolis", runtime_minutes=148),
        room=RoomFactory(name="Grand Hall", rows=8, seats_per_row=12),
        starts_at=timezone.now() + timedelta(minutes=20),
    )


def test_staff_admit_a_typed_code_at_phone_width(page: Page, live_server, showtime, customer, staff):
    booking = make_booking(user=customer, showtime=showtime, labels=["F7", "F8", "F9"])
    console_errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    log_in(page, live_server.url, staff, next_path="/checkin/")
    page.set_viewport_size(PHONE)

    page.get_by_role("link", name="Metropolis").click()
    expect(page.get_by_role("status")).to_have_text("admitted 0 of 3")
    code = page.get_by_label("Booking code")
    expect(code).to_be_focused()
    code.fill(booking.code[:4].lower() + "-" + booking.code[4:])
    code.press("Enter")

    answer = page.get_by_role("alert")
    expect(answer).to_contain_text("Admitted — 3 seats: F7, F8, F9")
    box = answer.bounding_box()
    assert box["width"] >= PHONE["width"] - 40 and box["height"] >= PHONE["height"] * 0.4  # fills the screen
    expect(page.get_by_role("status")).to_have_text("admitted 3 of 3")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "checkin-admitted-phone.png", full_page=True)

    page.get_by_label("Booking code").fill(booking.code)
    page.get_by_role("button", name="Admit").click()
    expect(page.get_by_role("alert")).to_contain_text("Already checked in")
    page.screenshot(path=SCREENSHOTS / "checkin-refused-phone.png", full_page=True)

    page.get_by_role("button", name="Undo check-in").click()
    expect(page.get_by_role("alert")).to_contain_text("Check-in undone")
    expect(page.get_by_role("status")).to_have_text("admitted 0 of 3")
    assert CheckIn.objects.get().undone_by == staff
    assert console_errors == []


def test_the_camera_button_appears_only_where_the_browser_can_read_qr_codes(
    page: Page, live_server, showtime, staff
):
    log_in(page, live_server.url, staff, next_path=f"/checkin/{showtime.pk}/")
    has_detector = page.evaluate("'BarcodeDetector' in window")
    camera = page.get_by_role("button", name="Scan with the camera")
    if not has_detector:
        expect(camera).to_be_hidden()
        pytest.skip(
            "headless Chromium has no BarcodeDetector: the camera path is feature-detected and hidden"
        )
    expect(camera).to_be_visible()
