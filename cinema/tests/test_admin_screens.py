"""The staff screens (issue 12): the branded index in order of daily use, one date
format, and the Reservations pages: confirming a bulk cancel, "Cancel this booking",
no Save on read-only data. Showtimes' pages: bookings/tests/test_admin_showtime_page.py."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.messages import get_messages
from django.contrib.staticfiles import finders
from django.test import override_settings
from django.urls import reverse

from bookings.models import Booking, BookingStatus, Ticket
from bookings.services import booking_cancel, hold_create
from bookings.tests.factories import make_booking
from cinema.admin import admin_datetime
from theaters.tests.factories import ShowtimeFactory

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def states() -> list[tuple]:
    """What a refused cancel must leave as it was."""
    return [
        *Booking.objects.order_by("pk").values_list("pk", "status", "cancelled_by"),
        *Ticket.objects.order_by("pk").values_list("pk", "active"),
    ]


@pytest.fixture
def booking(customer):
    showtime = ShowtimeFactory(movie__title="Dune", room__name="Studio 1")
    return make_booking(user=customer, showtime=showtime, labels=["C4", "C5"])


# Branding and the index


def test_it_brands_the_header_and_every_page_title(client, theater_staff):
    client.force_login(theater_staff)

    html = client.get(reverse("admin:bookings_booking_changelist")).content.decode()

    assert '<div id="site-name"><a href="/admin/">Cinema staff</a></div>' in html
    assert "<title>Select booking to change | Cinema staff</title>" in html


def test_the_index_lists_the_daily_screens_first_in_order_of_use(client, theater_staff):
    client.force_login(theater_staff)

    html = client.get(reverse("admin:index")).content.decode()

    daily = html[html.index('id="daily-module"') : html.index("</table>", html.index('id="daily-module"'))]
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', daily)
    assert [label.split(":")[0] for _href, label in links] == [
        "Today's showtimes",
        "Reservations",
        "Insights",
        "Movies",
        "Rooms",
        "Users",
    ]
    assert links[0][0] == "/admin/theaters/showtime/?when=today"
    assert links[1][0] == "/admin/bookings/booking/"
    # Every other section follows the daily ones.
    assert html.index('id="daily-module"') < html.index('<div class="app-accounts module">')


# One date format


@override_settings(TIME_ZONE="Europe/Paris")
def test_admin_dates_read_in_one_24_hour_format_in_the_theaters_time_zone():
    assert admin_datetime(datetime(2026, 12, 1, 18, 30, tzinfo=UTC)) == "Tue 01 Dec 2026, 19:30"
    assert admin_datetime(None) == "-"


def test_reservations_show_start_and_booked_dates_in_the_admin_format(client, staff, booking):
    client.force_login(staff)

    html = client.get(reverse("admin:bookings_booking_changelist")).content.decode()

    assert f'<td class="field-showtime_start">{admin_datetime(booking.showtime.starts_at)}</td>' in html
    assert f'<td class="field-created">{admin_datetime(booking.created_at)}</td>' in html
    # Each date stays on one line, so the row fits at 1280 px.
    assert "css/admin-lists.css" in html
    css = Path(finders.find("css/admin-lists.css")).read_text()
    assert re.search(r"\.field-showtime_start, \.field-created[^{]*\{ white-space: nowrap; \}", css)


def test_a_holds_dates_read_in_the_admin_format(client, staff, customer):
    showtime = ShowtimeFactory()
    hold = hold_create(user=customer, showtime=showtime, seat_ids=[showtime.room.seats.first().pk])
    client.force_login(staff)

    listing = client.get(reverse("admin:bookings_hold_changelist")).content.decode()
    page = client.get(reverse("admin:bookings_hold_change", args=[hold.pk])).content.decode()

    assert f'<td class="field-expires">{admin_datetime(hold.expires_at)}</td>' in listing
    assert admin_datetime(hold.created_at) in page and admin_datetime(hold.expires_at) in page


# Cancel selected bookings: a confirmation first


def test_cancel_selected_bookings_asks_first_listing_what_will_be_cancelled(
    client, theater_staff, booking, other_customer
):
    other = make_booking(user=other_customer, showtime=booking.showtime, labels=["A1"])
    cancelled = booking_cancel(
        booking=make_booking(user=other_customer, showtime=booking.showtime, labels=["A2"]), by=other_customer
    )
    before = states()
    client.force_login(theater_staff)

    response = client.post(
        reverse("admin:bookings_booking_changelist"),
        {"action": "cancel_bookings", "_selected_action": [booking.pk, other.pk, cancelled.pk]},
    )

    assert response.status_code == 200
    assert states() == before  # nothing cancelled yet
    html = response.content.decode()
    assert "<title>Cancel these bookings? | Cinema staff</title>" in html
    start = html.index('id="bookings-to-cancel"')
    listed = html[start : html.index("</table>", start)]
    assert booking.code in listed and "carla@example.com" in listed and "C4, C5" in listed
    assert other.code in listed and cancelled.code not in listed
    assert "1 of the selected is already cancelled" in html
    for pk in (booking.pk, other.pk, cancelled.pk):
        assert f'<input type="hidden" name="_selected_action" value="{pk}">' in html
    assert '<input type="hidden" name="post" value="yes">' in html


def test_confirming_cancels_the_selected_bookings(client, theater_staff, booking):
    client.force_login(theater_staff)

    response = client.post(
        reverse("admin:bookings_booking_changelist"),
        {"action": "cancel_bookings", "_selected_action": [booking.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert messages_of(response) == ["Cancelled 1 booking(s)."]
    booking.refresh_from_db()
    assert (booking.status, booking.cancelled_by) == (BookingStatus.CANCELLED, theater_staff)


def test_cancel_selected_with_only_cancelled_bookings_asks_nothing_and_changes_nothing(
    client, theater_staff, booking, customer
):
    booking_cancel(booking=booking, by=customer)
    before = states()
    client.force_login(theater_staff)

    response = client.post(
        reverse("admin:bookings_booking_changelist"),
        {"action": "cancel_bookings", "_selected_action": [booking.pk]},
    )

    assert response.status_code == 302
    assert messages_of(response) == ["The selected bookings are already cancelled."]
    assert states() == before


def test_customers_cannot_reach_the_cancel_confirmation(client, customer, booking):
    client.force_login(customer)
    before = states()

    response = client.post(
        reverse("admin:bookings_booking_changelist"),
        {"action": "cancel_bookings", "_selected_action": [booking.pk]},
    )

    assert response.status_code == 403
    assert states() == before


# A booking's page: Cancel this booking, and no Save


def test_a_booking_page_offers_cancel_and_no_save(client, theater_staff, booking):
    client.force_login(theater_staff)

    html = client.get(reverse("admin:bookings_booking_change", args=[booking.pk])).content.decode()

    cancel_url = reverse("admin:bookings_booking_cancel", args=[booking.pk])
    assert f'<form method="post" action="{cancel_url}">' in html
    assert ">Cancel this booking</button>" in html
    assert 'name="_save"' not in html and 'name="_continue"' not in html and 'name="_addanother"' not in html
    assert ">Close</a>" in html


def test_a_cancelled_booking_page_offers_no_cancel(client, theater_staff, booking, customer):
    booking_cancel(booking=booking, by=customer)
    client.force_login(theater_staff)

    html = client.get(reverse("admin:bookings_booking_change", args=[booking.pk])).content.decode()

    assert "Cancel this booking" not in html


def test_cancel_this_booking_cancels_it_and_says_so(client, theater_staff, booking):
    client.force_login(theater_staff)

    response = client.post(reverse("admin:bookings_booking_cancel", args=[booking.pk]))

    assert response["Location"] == reverse("admin:bookings_booking_change", args=[booking.pk])
    assert messages_of(response) == [f"Booking {booking.code} is cancelled; its seats are free again."]
    booking.refresh_from_db()
    assert (booking.status, booking.cancelled_by) == (BookingStatus.CANCELLED, theater_staff)
    assert not Ticket.objects.filter(booking=booking, active=True).exists()
    entry = LogEntry.objects.get(user=theater_staff, action_flag=CHANGE)
    assert entry.object_repr == booking.code and entry.get_change_message() == "Cancelled the booking."


def test_cancel_this_booking_on_a_cancelled_one_shows_the_refusal_and_changes_nothing(
    client, theater_staff, booking, customer
):
    booking_cancel(booking=booking, by=customer)
    before = states()
    client.force_login(theater_staff)

    response = client.post(reverse("admin:bookings_booking_cancel", args=[booking.pk]), follow=True)

    assert response.redirect_chain == [(reverse("admin:bookings_booking_change", args=[booking.pk]), 302)]
    assert [str(m) for m in response.context["messages"]] == ["This booking is already cancelled."]
    assert 'class="error"' in response.content.decode()
    assert states() == before
    assert not LogEntry.objects.filter(action_flag=CHANGE).exists()


def test_a_customer_posting_to_cancel_is_refused_and_nothing_changes(client, customer, booking):
    client.force_login(customer)
    before = states()

    response = client.post(reverse("admin:bookings_booking_cancel", args=[booking.pk]))

    assert response.status_code == 403
    assert states() == before


def test_staff_without_the_change_permission_cannot_cancel(client, booking):
    from django.contrib.auth.models import Permission

    from accounts.tests.factories import UserFactory

    viewer = UserFactory(email="vera@example.com", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_booking"))
    client.force_login(viewer)
    before = states()

    page = client.get(reverse("admin:bookings_booking_change", args=[booking.pk])).content.decode()
    response = client.post(reverse("admin:bookings_booking_cancel", args=[booking.pk]))

    assert "Cancel this booking" not in page
    assert response.status_code == 403
    assert states() == before


def test_cancel_this_booking_refuses_a_get(client, theater_staff, booking):
    client.force_login(theater_staff)

    response = client.get(reverse("admin:bookings_booking_cancel", args=[booking.pk]))

    assert response.status_code == 405
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_cancel_of_an_unknown_booking_goes_back_to_the_admin(client, theater_staff):
    client.force_login(theater_staff)

    response = client.post(reverse("admin:bookings_booking_cancel", args=[999999]))

    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_a_hold_page_has_no_save_buttons(client, theater_staff, customer):
    showtime = ShowtimeFactory()
    hold = hold_create(user=customer, showtime=showtime, seat_ids=[showtime.room.seats.first().pk])
    client.force_login(theater_staff)

    html = client.get(reverse("admin:bookings_hold_change", args=[hold.pk])).content.decode()

    assert 'name="_save"' not in html and 'name="_continue"' not in html
    assert ">Close</a>" in html


# At 1280 px, in a real browser


ONE_LINE = """(selector) => [...document.querySelectorAll(selector)].every((cell) => {
    const range = document.createRange();
    range.selectNodeContents(cell);
    return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size === 1;
})"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("screen", "path", "dates"),
    [
        ("reservations", "/admin/bookings/booking/", ".field-showtime_start, .field-created"),
        ("showtimes", "/admin/theaters/showtime/", ".field-local_start"),
    ],
)
def test_every_column_fits_at_1280_px_with_dates_on_one_line(page, live_server, staff, screen, path, dates):
    from accounts.tests.factories import PASSWORD, UserFactory

    showtime = ShowtimeFactory(
        movie__title="The Lord of the Rings: The Return of the King", room__name="Studio 12"
    )
    customer = UserFactory(email="maximilian.longname-customer@example.com")
    make_booking(user=customer, showtime=showtime, labels=["A1", "A2", "A3", "A4", "A5", "A6"])
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"{live_server.url}/admin/login/?next={path}")
    page.locator("#id_username").fill(staff.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.locator("#result_list").wait_for()
    screenshots = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=screenshots / f"admin-{screen}-desktop.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("window.innerWidth")
    results = page.locator("#result_list").bounding_box()
    assert results["x"] + results["width"] <= 1280
    assert page.evaluate(ONE_LINE, dates)
