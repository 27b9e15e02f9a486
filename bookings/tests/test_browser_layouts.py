"""The Grand Hall of the demo (a drawn room) on a desktop and a phone, in a real browser."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from bookings.management.commands.seed_demo import GRAND_HALL
from bookings.tests.factories import make_booking
from bookings.tests.test_browser import SCREENSHOTS, WIDTHS, log_in, seat
from bookings.tests.test_browser_pages import local, metropolis  # noqa: F401 (a fixture)
from theaters.tests.factories import RoomFactory, ShowtimeFactory

re_checkout = re.compile(r"/checkout/\d+/$")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def grand_hall(metropolis, other_customer):  # noqa: F811
    showtime = ShowtimeFactory(
        movie=metropolis, room=RoomFactory(name="Grand Hall", layout=GRAND_HALL), starts_at=local(2, 20, 45)
    )
    make_booking(user=other_customer, showtime=showtime, labels=["H10", "H11", "H12", "H13"])
    return showtime


def box(page: Page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def test_the_300_seat_room_fits_a_phone_and_zooms_keeping_the_selection(
    page: Page, live_server, grand_hall, customer
):
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    url = reverse("bookings:seat-map", args=[grand_hall.pk])
    log_in(page, live_server.url, customer, url)
    page.goto(f"{live_server.url}{url}")

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=SCREENSHOTS / "grand-hall-desktop.png", full_page=True)

    width, height = WIDTHS["phone"]
    page.set_viewport_size({"width": width, "height": height})
    scroll = page.locator(".seat-map-scroll")
    assert scroll.evaluate("box => box.scrollWidth <= box.clientWidth")  # the whole room fits
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    # The rows line up: the first seat column of row B sits under row A's first cell, aisle under aisle.
    row_a, row_b = page.locator(".seat-row").nth(0), page.locator(".seat-row").nth(1)
    assert abs(row_a.bounding_box()["x"] - row_b.bounding_box()["x"]) < 1
    screen, grid = box(page, ".screen"), box(page, ".seat-row")
    assert abs((screen["x"] + screen["width"] / 2) - (grid["x"] + grid["width"] / 2)) < 2  # centred
    page.screenshot(path=SCREENSHOTS / "grand-hall-phone.png", full_page=True)

    seat(page, "J6").check()
    seat(page, "J7").check()
    expect(page.locator("[data-seat-summary]")).to_contain_text("2 seats selected")
    small = seat(page, "J6").bounding_box()["width"]
    page.get_by_role("button", name="Zoom in").click()
    page.get_by_role("button", name="Zoom in").click()
    assert seat(page, "J6").bounding_box()["width"] > 2 * small
    assert seat(page, "J6").bounding_box()["width"] >= 24  # a comfortable tap target
    expect(seat(page, "J6")).to_be_checked()
    expect(seat(page, "J6")).to_be_in_viewport()
    expect(page.locator(".booking-bar")).to_be_in_viewport()
    page.screenshot(path=SCREENSHOTS / "grand-hall-phone-zoomed.png")

    # A companion seat ticked alone says why it cannot be booked so.
    seat(page, "N2 (companion seat)").check()
    expect(page.locator("[data-seat-hint]")).to_contain_text(
        "only be booked together with a wheelchair space"
    )
    seat(page, "N1 (wheelchair space)").check()
    expect(page.locator("[data-seat-hint]")).to_be_hidden()
    assert not errors


def test_find_the_best_seats_ticks_them_and_continue_holds_them(
    page: Page, live_server, grand_hall, customer
):
    url = reverse("bookings:seat-map", args=[grand_hall.pk])
    log_in(page, live_server.url, customer, url)
    page.goto(f"{live_server.url}{url}")

    page.get_by_label("Find the best").fill("3")
    page.get_by_role("button", name="Find").click()

    # Two thirds back of 14 rows is J; J9–J11 and J12–J14 flank the aisle: the left wins.
    expect(page.get_by_role("status").filter(has_text="The best")).to_contain_text(
        "The best 3 seats: J9, J10, J11"
    )
    for label in ("J9", "J10", "J11"):
        expect(seat(page, label)).to_be_checked()
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re_checkout)
