"""The door's pages (/checkin/) and the e-ticket on the booking page."""

from __future__ import annotations

import re
from datetime import timedelta

import icalendar
import pytest
import segno
import time_machine
from django.urls import reverse
from django.utils import timezone

from bookings.models import CheckIn
from bookings.services import booking_cancel
from bookings.tests.factories import make_booking
from cinema.admin import admin_datetime
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def now():
    with time_machine.travel(timezone.now().replace(hour=12, minute=0, second=0, microsecond=0), tick=False):
        yield timezone.now()


@pytest.fixture
def showtime(now):
    return ShowtimeFactory(room=RoomFactory(rows=6, seats_per_row=10), starts_at=now + timedelta(minutes=30))


@pytest.fixture
def booking(customer, showtime):
    return make_booking(user=customer, showtime=showtime, labels=["F7", "F8", "F9"])


def door(showtime) -> str:
    return reverse("bookings:checkin-door", args=[showtime.pk])


def answer_of(response) -> str:
    html = response.content.decode()
    match = re.search(r'<h2 id="door-answer-title" class="door-answer-title">([^<]*)</h2>', html)
    return match.group(1) if match else ""


def test_the_door_lists_todays_showtimes_soonest_first(client, theater_staff, now):
    late = ShowtimeFactory(movie__title="Late Show", starts_at=now + timedelta(hours=8))
    soon = ShowtimeFactory(movie__title="Soon Show", starts_at=now + timedelta(hours=1))
    ShowtimeFactory(movie__title="Tomorrow Show", starts_at=now + timedelta(days=1))
    client.force_login(theater_staff)

    html = client.get(reverse("bookings:checkin")).content.decode()

    assert html.index("Soon Show") < html.index("Late Show")
    assert "Tomorrow Show" not in html
    assert door(soon) in html and door(late) in html


def test_theater_staff_admit_a_typed_code_and_see_the_seats(client, theater_staff, booking, showtime):
    client.force_login(theater_staff)

    response = client.post(door(showtime), {"code": booking.code.lower()[:4] + " - " + booking.code[4:]})

    assert response.status_code == 200
    assert answer_of(response) == "Admitted — 3 seats: F7, F8, F9"
    html = response.content.decode()
    assert "door-answer-ok" in html
    assert "admitted 3 of 3" in html
    assert 'name="code" value="' + booking.code + '"' in html  # the Undo form
    assert CheckIn.objects.get().by == theater_staff


def test_a_second_scan_is_red_and_says_by_whom(client, theater_staff, staff, booking, showtime):
    client.force_login(theater_staff)
    client.post(door(showtime), {"code": booking.code})
    client.force_login(staff)

    response = client.post(door(showtime), {"code": booking.code})

    html = response.content.decode()
    assert answer_of(response) == "Not admitted"
    assert "door-answer-refused" in html
    assert "Already checked in at" in html and "by Terry Theater" in html


def test_the_reasons_are_shown_in_red(client, theater_staff, staff, customer, booking, showtime, now):
    other = ShowtimeFactory(movie__title="Other Film", starts_at=now + timedelta(hours=3))
    cancelled = make_booking(user=customer, showtime=showtime, labels=["A1"])
    booking_cancel(booking=cancelled, by=staff)
    client.force_login(theater_staff)

    unknown = client.post(door(showtime), {"code": "ZZZZ9999"})
    gone = client.post(door(showtime), {"code": cancelled.code})
    wrong = client.post(door(other), {"code": booking.code})
    early = client.post(
        door(other), {"code": make_booking(user=customer, showtime=other, labels=["A1"]).code}
    )

    assert answer_of(unknown) == "Unknown code"
    assert "was cancelled" in gone.content.decode()
    assert "This ticket is for" in wrong.content.decode()
    assert "Check-in opens at" in early.content.decode()
    for response in (unknown, gone, wrong, early):
        assert "door-answer-refused" in response.content.decode()
        assert "door-answer-ok" not in response.content.decode()
    assert CheckIn.objects.count() == 0


def test_an_empty_code_is_a_form_error(client, theater_staff, showtime):
    client.force_login(theater_staff)

    response = client.post(door(showtime), {"code": "  "})

    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()


def test_undo_is_one_click_and_kept(client, theater_staff, booking, showtime):
    client.force_login(theater_staff)
    client.post(door(showtime), {"code": booking.code})

    response = client.post(reverse("bookings:checkin-undo", args=[showtime.pk]), {"code": booking.code})

    assert answer_of(response) == "Check-in undone"
    assert "admitted 0 of 3" in response.content.decode()
    assert CheckIn.objects.get().undone_by == theater_staff


def test_the_live_count_is_tickets_admitted_of_sold(client, theater_staff, booking, showtime, customer):
    make_booking(user=customer, showtime=showtime, labels=["A1"])
    client.force_login(theater_staff)
    client.post(door(showtime), {"code": booking.code})

    count = client.get(reverse("bookings:checkin-count", args=[showtime.pk])).json()

    assert count == {"admitted": 3, "sold": 4}


def test_customers_are_refused_and_visitors_log_in(client, customer, showtime):
    anonymous = client.get(door(showtime))
    client.force_login(customer)
    refused = client.get(door(showtime))

    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("accounts:login"))
    assert refused.status_code == 403


def test_the_ticket_page_shows_the_qr_code_inline_and_the_code_large(client, customer, booking):
    client.force_login(customer)

    html = client.get(booking.get_absolute_url()).content.decode()

    svg = re.search(r"<svg[^>]*>.*?</svg>", html, re.DOTALL).group(0)
    assert 'class="ticket-qr"' in svg and "style=" not in svg
    assert svg == segno.make(booking.code, error="m", micro=False).svg_inline(
        scale=1, omitsize=True, svgclass="ticket-qr", title=""
    )
    assert f'class="booking-code mb-3" data-booking-code>{booking.code}<' in html
    assert reverse("bookings:booking-calendar", args=[booking.code]) in html


def test_add_to_calendar_downloads_the_mails_invitation(client, customer, staff, other_customer, booking):
    url = reverse("bookings:booking-calendar", args=[booking.code])
    client.force_login(customer)
    response = client.get(url)
    client.force_login(staff)
    by_staff = client.get(url)
    client.force_login(other_customer)
    stranger = client.get(url)

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="booking-{booking.code}.ics"'
    [event] = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert event["UID"] == f"booking-{booking.pk}@127.0.0.1"
    assert booking.code not in response.content.decode()
    assert by_staff.status_code == 200
    assert stranger.status_code == 404


def test_the_bookings_admin_shows_when_a_booking_was_checked_in(client, staff, booking, showtime, now):
    client.force_login(staff)
    admitted_at = now + timedelta(minutes=7)  # not the minute it was booked
    with time_machine.travel(admitted_at, tick=False):
        client.post(door(showtime), {"code": booking.code})

    listed = client.get(reverse("admin:bookings_booking_changelist")).content.decode()
    page = client.get(reverse("admin:bookings_booking_change", args=[booking.pk])).content.decode()

    assert "Checked in" in listed
    assert admin_datetime(admitted_at) in listed
    assert admin_datetime(admitted_at) in page
