"""The moviegoer's pages laid out at desktop and phone widths, in a real browser."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.tests.factories import PASSWORD
from bookings.tests.factories import make_booking
from bookings.tests.test_browser import SCREENSHOTS, WIDTHS, log_in, seat
from movies.tests.factories import MovieFactory
from theaters.services import showtime_update
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def at_width(page: Page, label: str) -> None:
    width, height = WIDTHS[label]
    page.set_viewport_size({"width": width, "height": height})


def shoot(page: Page, name: str, label: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}-{label}.png", full_page=True)


def scrolls_sideways(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


def local(days: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def metropolis():
    return MovieFactory(
        title="Metropolis",
        rating="PG",
        runtime_minutes=148,
        description="In a futuristic city sharply divided between the working class and the city planners.",
    )


def test_my_bookings_are_a_table_at_desktop_and_cards_on_a_phone(
    page: Page, live_server, customer, metropolis
):
    room = RoomFactory(name="Grand Hall", rows=8, seats_per_row=12)
    make_booking(
        user=customer,
        showtime=ShowtimeFactory(movie=metropolis, room=room, starts_at=local(1, 20, 45)),
        labels=["D5", "D6", "D7"],
    )
    make_booking(
        user=customer,
        showtime=ShowtimeFactory(movie=MovieFactory(title="Joan of Arc"), starts_at=local(2, 18)),
        labels=["A1"],
    )
    log_in(page, live_server.url, customer, reverse("bookings:booking-list"))
    row = page.get_by_role("row").filter(has_text="Metropolis")
    code = row.get_by_role("cell").first
    status = row.get_by_role("cell").last

    at_width(page, "desktop")
    expect(page.get_by_role("columnheader", name="Room")).to_be_visible()
    expect(row.locator(".cell-label").first).to_be_hidden()
    # a row: the status is on the code's line, to its right
    assert abs(status.bounding_box()["y"] - code.bounding_box()["y"]) < 10
    assert status.bounding_box()["x"] > code.bounding_box()["x"] + 500
    assert not scrolls_sideways(page)
    shoot(page, "my-bookings", "desktop")

    at_width(page, "phone")
    expect(row.locator(".cell-label", has_text="Room")).to_be_visible()
    expect(row).to_contain_text("Grand Hall")
    expect(row).to_contain_text("D5, D6, D7")
    expect(row).to_contain_text("37.50")
    # a card: each field on a line of its own, under the code, inside the screen
    assert status.bounding_box()["y"] > code.bounding_box()["y"] + 100
    assert row.bounding_box()["x"] + row.bounding_box()["width"] <= 375
    assert not scrolls_sideways(page)
    shoot(page, "my-bookings", "phone")


def test_changing_seats_says_the_new_total_and_the_difference(page: Page, live_server, customer, metropolis):
    showtime = ShowtimeFactory(
        movie=metropolis, room=RoomFactory(rows=8, seats_per_row=12), starts_at=local(1, 20, 45)
    )
    booking = make_booking(user=customer, showtime=showtime, labels=["D5", "D6"])  # 12.50 each
    showtime_update(showtime=showtime, price=Decimal("15.00"))  # new seats cost it; kept ones keep theirs
    log_in(page, live_server.url, customer, reverse("bookings:booking-change", args=[booking.code]))
    summary = page.locator("[data-seat-summary]")

    expect(page.get_by_text("€25.00 for D5, D6")).to_be_visible()
    expect(summary).to_have_text("2 seats selected · New total €25.00 (no change)")
    seat(page, "D7").check()
    expect(summary).to_have_text("3 seats selected · New total €40.00 (+€15.00)")
    seat(page, "D5").uncheck()
    expect(summary).to_have_text("2 seats selected · New total €27.50 (+€2.50)")
    seat(page, "D6").uncheck()
    expect(summary).to_have_text("1 seat selected · New total €15.00 (\u2212€10.00)")
    seat(page, "D6").check()
    for label in WIDTHS:
        at_width(page, label)
        expect(summary).to_be_in_viewport()
        assert not scrolls_sideways(page)
        shoot(page, "change-seats", label)

    page.get_by_role("button", name="Book these seats").click()
    expect(page.locator("[data-new-total]")).to_have_text("€27.50")  # reviewed before it is made
    expect(page.locator("[data-difference]")).to_have_text("+€2.50")
    page.get_by_role("button", name="Confirm change").click()
    expect(page).to_have_url(re.compile(booking.get_absolute_url()))
    expect(page.get_by_role("main")).to_contain_text("27.50")


def test_the_movie_page_groups_showtimes_by_day_beside_its_details(page: Page, live_server, metropolis):
    room = RoomFactory(name="Grand Hall", rows=4, seats_per_row=8)
    for days in range(1, 6):
        for hour in (14, 17, 20):
            ShowtimeFactory(movie=metropolis, room=room, starts_at=local(days, hour, 30))
    page.goto(f"{live_server.url}{reverse('bookings:movie-detail', args=[metropolis.pk])}")
    details = page.get_by_role("heading", name="Metropolis", level=1)
    days = page.locator(".day-group")
    first_day = days.first

    at_width(page, "desktop")
    expect(days).to_have_count(5)
    expect(first_day.get_by_role("heading", level=3)).to_have_text(re.compile(r"\w+day \d+ \w+"))
    expect(first_day.get_by_role("link")).to_have_count(3)
    # beside: the day groups start right of the details, at about the same height
    assert first_day.bounding_box()["x"] > details.bounding_box()["x"] + details.bounding_box()["width"]
    assert first_day.bounding_box()["y"] < details.bounding_box()["y"] + 200
    # compact: two days side by side, not one long column
    assert abs(days.nth(1).bounding_box()["y"] - first_day.bounding_box()["y"]) < 5
    # the day's times on one line
    links = first_day.get_by_role("link")
    assert abs(links.nth(2).bounding_box()["y"] - links.first.bounding_box()["y"]) < 5
    assert not scrolls_sideways(page)
    shoot(page, "movie", "desktop")

    at_width(page, "phone")
    # stacked: the details above the days
    assert first_day.bounding_box()["y"] > details.bounding_box()["y"] + details.bounding_box()["height"]
    assert not scrolls_sideways(page)
    shoot(page, "movie", "phone")


def test_joining_a_sold_out_waiting_list_on_a_phone_then_leaving_it(
    page: Page, live_server, customer, staff, metropolis
):
    showtime = ShowtimeFactory(
        movie=metropolis, room=RoomFactory(rows=1, seats_per_row=4), starts_at=local(1, 20)
    )
    make_booking(user=staff, showtime=showtime, labels=["A1", "A2", "A3", "A4"])
    at_width(page, "phone")
    page.goto(live_server.url + reverse("bookings:seat-map", args=[showtime.pk]))

    # Anonymous: joining asks to log in first, then comes back to the map.
    page.get_by_role("button", name="Join the waiting list").click()
    page.get_by_label("Email").fill(customer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Sold out")).to_be_visible()
    assert not scrolls_sideways(page)
    shoot(page, "waitlist-join", "phone")

    page.get_by_label("Party size").fill("3")
    page.get_by_label("Party size").press("Enter")  # the keyboard submits it

    expect(page.get_by_text("You are number 1 on the waiting list")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Metropolis")
    expect(row).to_contain_text("Number 1")
    assert row.bounding_box()["x"] + row.bounding_box()["width"] <= 375
    assert not scrolls_sideways(page)
    shoot(page, "waitlist-my-bookings", "phone")

    row.get_by_role("button", name="Leave the waiting list for Metropolis").click()
    expect(page.get_by_text("You have left the waiting list for Metropolis")).to_be_visible()
