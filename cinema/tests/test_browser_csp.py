"""The admin and the API docs work under the Content-Security-Policy in a real
browser: Chromium reports every blocked inline script or style on its console."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from accounts.tests.factories import PASSWORD
from bookings.tests.factories import make_booking
from theaters.tests.factories import ShowtimeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAFF_PAGES = [
    "/admin/",
    "/admin/bookings/booking/",
    "/admin/theaters/showtime/add/",
    "/admin/theaters/room/",
    "/admin/axes/accessattempt/",
    # A list without actions: Django's template adds an inline <style> there.
    "/admin/token_blacklist/outstandingtoken/",
    "/admin/insights/",
    "/api/docs/",
]


def test_the_admin_and_the_api_docs_break_no_csp_rule(page: Page, live_server, staff, customer):
    make_booking(user=customer, showtime=ShowtimeFactory(), labels=["A1"])
    console: list[str] = []
    failed: list[str] = []
    page.on("console", lambda message: message.type == "error" and console.append(message.text))
    page.on(
        "response",
        lambda response: response.status >= 400 and failed.append(f"{response.status} {response.url}"),
    )

    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Email").fill(staff.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="Insights")).to_be_visible()
    for path in STAFF_PAGES:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")

    expect(page.locator("#swagger-ui .information-container")).to_be_visible()
    expect(page.locator("#swagger-ui")).to_contain_text("Cinema booking API")
    # (The console's only other error is the browser's own /favicon.ico guess on admin pages.)
    assert [text for text in console if "Content Security Policy" in text or "Refused to" in text] == []
    assert failed == []
