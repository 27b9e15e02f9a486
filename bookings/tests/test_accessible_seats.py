"""Wheelchair spaces, companion seats and blocked seats (docs/design.md "Room layouts
and accessible seats"), with a frozen clock: services, API and pages."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from bookings.models import Booking, Hold
from bookings.selectors import seat_states
from bookings.services import BookingError, booking_change_seats, booking_create, hold_create
from bookings.tests.factories import make_booking, seat_ids
from cinema.tests.clients import api_client
from theaters.models import Showtime
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0) + timedelta(days=1)
# Row A: A1 A2 standard, A3 wheelchair, A4 companion, gap, A5 blocked, A6 standard.
LAYOUT = ["SSWC.XS", "SSSSSSS"]


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def showtime(clock, settings):
    settings.ACCESSIBLE_RELEASE_MINUTES = 60
    return ShowtimeFactory(room=RoomFactory(layout=LAYOUT), starts_at=NOW + timedelta(hours=3))


def refused(call, **kwargs) -> BookingError:
    with pytest.raises(BookingError) as error:
        call(**kwargs)
    return error.value


@pytest.mark.parametrize("call", [hold_create, booking_create])
def test_a_companion_seat_alone_is_refused_until_its_release(customer, showtime, call):
    error = refused(call, user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "A4", "A2"))

    assert error.code == "companion_needs_wheelchair" and not error.is_conflict
    assert "together with a wheelchair space" in error.message
    assert not Hold.objects.exists() and not Booking.objects.exists()


def test_a_companion_seat_with_a_wheelchair_space_is_fine(customer, showtime):
    booking = booking_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "A3", "A4"))

    assert sorted(ticket.seat.label for ticket in booking.ticket_list) == ["A3", "A4"]


def test_a_wheelchair_space_alone_is_fine(customer, showtime):
    assert hold_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "A3")).seat_list


def test_from_the_release_a_companion_seat_is_sold_as_any_other(customer, showtime, clock):
    clock.move_to(showtime.starts_at - timedelta(minutes=60, seconds=1))
    refused(booking_create, user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "A4"))

    clock.move_to(showtime.starts_at - timedelta(minutes=60))
    booking = booking_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "A4"))

    assert [ticket.seat.label for ticket in booking.ticket_list] == ["A4"]


def test_changing_a_booking_keeps_the_companion_rule(customer, showtime):
    booking = make_booking(user=customer, showtime=showtime, labels=["A3", "A4"])

    error = refused(
        booking_change_seats, booking=booking, seat_ids=seat_ids(showtime, "A4", "B1"), by=customer
    )

    assert error.code == "companion_needs_wheelchair"
    assert sorted(t.seat.label for t in booking.held_tickets()) == ["A3", "A4"]


def test_staff_may_seat_anyone_in_a_companion_seat(staff, showtime):
    booking = booking_create(user=staff, showtime=showtime, seat_ids=seat_ids(showtime, "A4"))

    assert booking.ticket_list


@pytest.mark.parametrize("user", ["customer", "staff"])
def test_a_blocked_seat_is_never_for_sale(request, showtime, user):
    buyer = request.getfixturevalue(user)

    error = refused(booking_create, user=buyer, showtime=showtime, seat_ids=seat_ids(showtime, "A5", "A6"))

    assert error.code == "seats_unavailable" and error.is_conflict
    assert error.message == "A5 is not for sale. Please choose other seats."
    assert [seat.label for seat in error.seats] == ["A5"]
    assert not Booking.objects.exists()


def test_the_api_lists_kinds_and_availability(client, showtime):
    body = client.get(f"/api/sessions/{showtime.pk}").json()

    seats = {seat["label"]: seat for seat in body["seats"] if seat["row"] == "A"}
    assert {label: (s["kind"], s["blocked"], s["column"], s["available"]) for label, s in seats.items()} == {
        "A1": ("standard", False, 1, True),
        "A2": ("standard", False, 2, True),
        "A3": ("wheelchair", False, 3, True),
        "A4": ("companion", False, 4, False),
        "A5": ("standard", True, 6, False),
        "A6": ("standard", False, 7, True),
    }
    assert body["seats_total"] == 12  # the blocked seat is not for sale


def test_the_api_shows_companion_seats_available_from_their_release(client, showtime, clock):
    client.get(f"/api/sessions/{showtime.pk}")  # cached until the release
    clock.move_to(showtime.starts_at - timedelta(minutes=60))

    seats = client.get(f"/api/sessions/{showtime.pk}").json()["seats"]

    assert next(seat for seat in seats if seat["label"] == "A4")["available"] is True


def test_the_api_refuses_a_companion_seat_alone_and_a_blocked_seat(customer, showtime):
    api = api_client(customer)

    companion = api.post(
        "/api/holds", {"session": showtime.pk, "seats": seat_ids(showtime, "A4")}, format="json"
    )
    blocked = api.post(
        "/api/bookings", {"session": showtime.pk, "seats": seat_ids(showtime, "A5")}, format="json"
    )

    assert companion.status_code == 400 and companion.json()["code"] == "companion_needs_wheelchair"
    assert blocked.status_code == 409 and blocked.json()["code"] == "seats_unavailable"
    assert blocked.json()["seats"] == seat_ids(showtime, "A5")


def seat_tag(html: str, name: str) -> str:
    match = re.search(rf'<input [^>]*aria-label="{re.escape(name)}"[^>]*>', html)
    assert match, f"no checkbox named {name}"
    return match.group(0)


def test_the_seat_map_names_every_kind_and_draws_gaps_and_a_legend(client, showtime, other_customer):
    make_booking(user=other_customer, showtime=showtime, labels=["B2"])

    html = client.get(reverse("bookings:seat-map", args=[showtime.pk])).content.decode()

    assert "disabled" not in seat_tag(html, "Seat A1")
    assert "disabled" not in seat_tag(html, "Seat A3 (wheelchair space)")
    assert "disabled" not in seat_tag(html, "Seat A4 (companion seat)")
    assert "disabled" in seat_tag(html, "Seat A5 (not for sale)")
    assert "disabled" in seat_tag(html, "Seat B2 (taken)")
    row_a = re.search(r'aria-label="Row A">(.*?)</div>', html).group(1)
    assert row_a.count('class="seat-gap"') == 1
    assert row_a.index("Seat A4") < row_a.index('class="seat-gap"') < row_a.index("Seat A5")
    assert '<span class="seat seat-wheelchair">' in row_a and '<span class="seat seat-companion">' in row_a
    for item in ("Wheelchair space", "Companion seat (with a wheelchair space)", "Taken or not for sale"):
        assert item in html
    assert "data-companions-kept" in html
    assert 'Free</dt><dd class="col-8">11 of 12 seats' in html


def test_the_seat_map_refuses_a_companion_seat_alone_in_words(client, customer, showtime):
    client.force_login(customer)

    response = client.post(
        reverse("bookings:seat-map", args=[showtime.pk]), {"seats": seat_ids(showtime, "A4")}
    )

    assert response.status_code == 200
    assert "A companion seat is kept for the companion of a wheelchair user" in response.content.decode()
    assert not Hold.objects.exists()


def test_the_live_map_counts_blocked_seats_as_never_free(client, showtime):
    states = seat_states(Showtime.objects.get(pk=showtime.pk))

    assert client.get(reverse("bookings:seat-states", args=[showtime.pk])).json() == {
        "taken": seat_ids(showtime, "A5")
    }
    assert states.blocked_ids == set(seat_ids(showtime, "A5")) and not states.taken_ids
