"""The insights dashboard in a real browser, at a desktop's and a phone's width:
the page never scrolls sideways, charts scale, wide tables scroll in their own
box with their first column kept in view."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.tests.factories import PASSWORD
from bookings.tests.report_fixtures import build_week

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
WIDTHS = {"desktop": (1280, 900), "phone": (375, 812)}

# Each scroll box, scrolled to its far end: where its first column and last cell are.
SCROLLED_BOXES = """() => [...document.querySelectorAll('.insights-scroll')].map((box) => {
    const scrolls = box.scrollWidth > box.clientWidth;
    box.scrollLeft = box.scrollWidth;
    const edge = box.getBoundingClientRect();
    const row = box.querySelector('tbody tr');
    const first = row.firstElementChild.getBoundingClientRect();
    const last = row.lastElementChild.getBoundingClientRect();
    return {
        label: box.getAttribute('aria-labelledby'),
        scrolls,
        scrolled: box.scrollLeft > 0,
        firstColumnAtEdge: Math.abs(first.left - edge.left) <= 1,
        lastCellInView: last.right <= edge.right + 1,
    };
})"""


@pytest.fixture
def week(customer, other_customer, staff):
    return build_week(customer=customer, other_customer=other_customer, staff=staff)


def log_in_to_the_admin(page: Page, base_url: str, user, next_path: str) -> None:
    page.goto(f"{base_url}{reverse('admin:login')}?next={next_path}")
    page.locator("#id_username").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


@pytest.mark.parametrize("screen", list(WIDTHS))
def test_the_dashboard_is_readable_at_desktop_and_phone_widths(page: Page, live_server, week, staff, screen):
    width, height = WIDTHS[screen]
    page.set_viewport_size({"width": width, "height": height})
    console_errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    query = f"?group_by=time_slot&from={week.monday}&to={week.sunday}"

    log_in_to_the_admin(page, live_server.url, staff, reverse("insights:dashboard") + query)

    expect(page.get_by_role("heading", name="By time slot")).to_be_visible()
    # Measured once its stylesheets apply: the heading shows before they all have, under load.
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("window.innerWidth")
    chart = page.locator("svg.insights-chart").bounding_box()
    figure = page.locator(".insights-figure").bounding_box()
    assert 0 < chart["width"] <= min(figure["width"], width) + 0.5
    # The chart keeps its viewBox's shape as it scales: 400 × 204 (the axis and four slots).
    assert chart["height"] == pytest.approx(chart["width"] * 204 / 400, abs=1)

    boxes = {box["label"]: box for box in page.evaluate(SCROLLED_BOXES)}
    # Taken scrolled, so the phone's shot shows the first columns kept in view.
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"insights-{screen}.png", full_page=True)
    assert list(boxes) == ["report-caption", "heatmap-heading", "upcoming-heading"]
    if screen == "phone":
        for box in (boxes["report-caption"], boxes["heatmap-heading"]):
            assert box["scrolls"] and box["scrolled"], box
    else:
        assert not boxes["report-caption"]["scrolls"]
    for box in boxes.values():
        assert box["firstColumnAtEdge"] and box["lastCellInView"], box
    # The page itself still does not scroll sideways with the boxes scrolled.
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("window.innerWidth")
    expect(page.get_by_role("row", name="Late (21:00 and after)").first).to_be_visible()
    assert console_errors == []
