from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings import services
from bookings.services import booking_cancel
from bookings.tests.factories import make_booking, seat_ids
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def showtime():
    return ShowtimeFactory(room=RoomFactory(rows=4, seats_per_row=8))


@pytest.fixture
def booking(customer, showtime):
    return make_booking(user=customer, showtime=showtime, labels=["B2", "B3"])


@pytest.fixture
def soon_booking(customer):
    """A booking whose showtime starts inside the change cut-off (30 minutes)."""
    showtime = ShowtimeFactory(starts_at=timezone.now() + timedelta(minutes=20))
    return make_booking(user=customer, showtime=showtime, labels=["A1"])


def change_url(booking) -> str:
    return reverse("bookings:booking-change", args=[booking.code])


def cancel_url(booking) -> str:
    return reverse("bookings:booking-cancel", args=[booking.code])


def test_my_bookings_lists_upcoming_first_then_past_and_cancelled(client, customer):
    later = make_booking(
        user=customer, showtime=ShowtimeFactory(starts_at=timezone.now() + timedelta(days=3)), labels=["A1"]
    )
    sooner = make_booking(user=customer, showtime=ShowtimeFactory(), labels=["A2", "A3"])
    cancelled = make_booking(user=customer, showtime=ShowtimeFactory(), labels=["A4"])
    booking_cancel(booking=cancelled, by=customer)
    past = make_booking(user=customer, showtime=ShowtimeFactory(), labels=["A5"])
    past.showtime.starts_at = timezone.now() - timedelta(days=1)
    past.showtime.save()
    client.force_login(customer)

    html = client.get(reverse("bookings:booking-list")).content.decode()

    codes = re.findall(r'class="font-monospace fw-semibold" href="/bookings/(\w+)/"', html)
    assert codes[:2] == [sooner.code, later.code]
    assert set(codes[2:]) == {cancelled.code, past.code}
    upcoming, rest = html.split("Past and cancelled")
    assert "A2, A3" in upcoming and "Cancelled" in rest and "A4" in rest


def test_my_bookings_shows_only_mine(client, customer, other_customer, showtime):
    theirs = make_booking(user=other_customer, showtime=showtime, labels=["D1"])
    client.force_login(customer)

    html = client.get(reverse("bookings:booking-list")).content.decode()

    assert theirs.code not in html


def test_my_bookings_costs_the_same_queries_for_one_booking_or_many(
    client, customer, django_assert_num_queries
):
    for index in range(5):
        make_booking(user=customer, showtime=ShowtimeFactory(), labels=[f"A{index + 1}", f"B{index + 1}"])
    client.force_login(customer)

    # session, user, bookings with showtime, movie, room and user, their tickets with seats,
    # their waiting list entries with positions
    with django_assert_num_queries(5):
        response = client.get(reverse("bookings:booking-list"))

    assert response.content.decode().count("Confirmed") == 5


def test_my_bookings_asks_anonymous_visitors_to_log_in(client):
    response = client.get(reverse("bookings:booking-list"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_the_booking_page_is_a_ticket_with_the_code(client, customer, booking, django_assert_num_queries):
    client.force_login(customer)

    # session, user, the booking with its showtime, movie and room, its tickets
    with django_assert_num_queries(4):
        response = client.get(booking.get_absolute_url())

    html = response.content.decode()
    assert f"data-booking-code>{booking.code}<" in html
    assert "B2, B3" in html and "25.00" in html and booking.showtime.room.name in html
    assert "Change seats" in html and "Cancel booking" in html
    assert f"<title>Booking {booking.code} · Cinema</title>" in html


def test_someone_elses_booking_code_is_a_404(client, other_customer, booking):
    client.force_login(other_customer)

    for url in (booking.get_absolute_url(), change_url(booking), cancel_url(booking)):
        assert client.get(url).status_code == 404
    assert client.post(cancel_url(booking)).status_code == 404
    booking.refresh_from_db()
    assert not booking.is_cancelled


def test_the_change_page_preselects_the_bookings_seats_as_free(client, customer, booking):
    client.force_login(customer)

    html = client.get(change_url(booking)).content.decode()

    seat = re.search(r'<input [^>]*aria-label="Seat B2"[^>]*>', html).group(0)
    assert " checked" in seat and "disabled" not in seat
    assert "Book these seats" in html


def test_the_change_page_states_the_current_total_and_what_kept_seats_cost(
    client, customer, booking, showtime, django_assert_num_queries
):
    b2, b3 = seat_ids(showtime, "B2", "B3")
    client.force_login(customer)

    # session, user, the booking with its showtime, movie and room, its tickets (the
    # kept prices come from these: no query of their own), the seats with whether
    # taken; the showtime's prices as the booking read them (cached for their version)
    with django_assert_num_queries(5):
        html = client.get(change_url(booking)).content.decode()

    assert 'Your total</dt><dd class="col-8">€25.00 for B2, B3' in html
    assert "2 selected · current total €25.00" in html  # the bar before any script runs
    assert f'data-current-total="25.00" data-kept-prices="{b2}:12.50 {b3}:12.50"' in html


def test_my_bookings_label_each_field_for_the_phone_cards(client, customer, booking):
    client.force_login(customer)

    html = client.get(reverse("bookings:booking-list")).content.decode()

    for label in ("Code", "Movie", "When", "Room", "Seats", "Total", "Status"):
        assert f'<span class="cell-label" aria-hidden="true">{label}</span>' in html
    assert booking.showtime.room.name in html


def test_it_changes_the_seats(client, customer, booking, showtime):
    client.force_login(customer)

    response = client.post(change_url(booking), {"seats": seat_ids(showtime, "B3", "B4", "B5")})

    booking.refresh_from_db()
    assert response.status_code == 302 and response.url == booking.get_absolute_url()
    assert booking.seat_labels() == ["B3", "B4", "B5"]
    assert str(booking.total_price) == "37.50"


def test_a_refused_change_comes_back_on_the_map(client, customer, other_customer, booking, showtime):
    make_booking(user=other_customer, showtime=showtime, labels=["C1"])
    client.force_login(customer)

    response = client.post(change_url(booking), {"seats": seat_ids(showtime, "B2", "C1")})

    html = response.content.decode()
    assert "C1 was just taken." in html
    assert " checked" in re.search(r'<input [^>]*aria-label="Seat B2"[^>]*>', html).group(0)
    assert booking.seat_labels() == ["B2", "B3"]


def test_after_the_cut_off_change_and_cancel_are_refused_and_not_offered(client, customer, soon_booking):
    client.force_login(customer)

    detail = client.get(soon_booking.get_absolute_url()).content.decode()
    change = client.post(change_url(soon_booking), {"seats": seat_ids(soon_booking.showtime, "A2")})
    cancel = client.post(cancel_url(soon_booking))

    assert "Change seats</a>" not in detail and "Cancel booking</a>" not in detail
    assert "30 minutes before the start" in detail
    for response in (change, cancel):
        assert response.status_code == 200
        assert "30 minutes before the start" in response.content.decode()
    soon_booking.refresh_from_db()
    assert not soon_booking.is_cancelled and soon_booking.seat_labels() == ["A1"]


def test_a_cancelled_booking_cannot_be_changed_or_cancelled_again(client, customer, booking):
    booking_cancel(booking=booking, by=customer)
    client.force_login(customer)

    detail = client.get(booking.get_absolute_url()).content.decode()
    change = client.get(change_url(booking)).content.decode()

    assert "Cancelled" in detail and "Change seats</a>" not in detail
    assert "already cancelled" in change and "seat-map" not in change


def test_cancel_asks_for_confirmation_then_cancels(client, customer, booking):
    client.force_login(customer)

    confirm = client.get(cancel_url(booking))
    booking.refresh_from_db()
    assert not booking.is_cancelled
    assert "Yes, cancel booking" in confirm.content.decode()

    response = client.post(cancel_url(booking))

    booking.refresh_from_db()
    assert response.status_code == 302 and response.url == booking.get_absolute_url()
    assert booking.is_cancelled and booking.cancelled_by == customer
    assert "is cancelled" in client.get(response.url).content.decode()


@pytest.mark.parametrize("typed", ["kx7wrqpm", "Kx7WrQpM"])
def test_booking_codes_are_found_whatever_their_case(client, customer, showtime, monkeypatch, typed):
    make_booking(user=customer, showtime=showtime, labels=["A1"])  # another of hers, not to be shown
    # A code with letters (a random one may be all digits, the same in any case).
    monkeypatch.setattr(services, "new_booking_code", lambda: "KX7WRQPM")
    booking = make_booking(user=customer, showtime=showtime, labels=["B2", "B3"])
    client.force_login(customer)

    response = client.get(reverse("bookings:booking-detail", args=[typed]))

    assert response.status_code == 200
    assert response.context["booking"] == booking
    html = response.content.decode()
    assert '<p class="booking-code mb-3" data-booking-code>KX7WRQPM</p>' in html
    assert '<dd class="col-8 col-sm-9">B2, B3</dd>' in html
