"""The admin room page's layout editor in a real browser, and the seat map of a drawn room."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from bookings.tests.test_browser_insights import log_in_to_the_admin
from theaters.models import Room
from theaters.tests.factories import RoomFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_click_a_seat_to_make_it_a_wheelchair_space(page: Page, live_server, staff):
    room = RoomFactory(name="Studio", layout=["SSS.SSS", "SSS.SSS"])
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    url = reverse("admin:theaters_room_change", args=[room.pk])
    log_in_to_the_admin(page, live_server.url, staff, url)

    page.get_by_label("Wheelchair space").check()
    page.get_by_role("button", name="Row B, cell 1: seat", exact=True).click()
    expect(page.get_by_role("button", name="Row B, cell 1: wheelchair space")).to_be_focused()
    page.get_by_label("Companion seat").check()
    page.get_by_role("button", name="Row B, cell 2: seat", exact=True).press("Enter")  # the keyboard too
    page.get_by_label("Gap (aisle)").check()
    page.get_by_role("button", name="Row A, cell 7: seat", exact=True).click()
    expect(page.locator("#id_layout")).to_have_value("SSS.SS.\nWCS.SSS")
    page.get_by_role("button", name="Save and continue editing").click()

    expect(page.locator(".messagelist")).to_contain_text("successfully")
    seats = {seat.label: seat.kind for seat in Room.objects.get(pk=room.pk).seats.all()}
    assert seats["B1"] == "wheelchair" and seats["B2"] == "companion"
    assert "A6" not in seats and len(seats) == 11
    assert not errors
