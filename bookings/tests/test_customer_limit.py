"""MAX_SEATS_PER_CUSTOMER: one account may not sell a showtime out (DESIGN.md "Booking rules")."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from bookings.models import Booking, Ticket
from bookings.services import BookingError, booking_cancel, booking_change_seats, booking_create
from bookings.tests.factories import make_booking
from cinema.tests.clients import api_client
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def showtime():
    return ShowtimeFactory(room=RoomFactory(rows=6, seats_per_row=10), price=Decimal("9.00"))


def seats(showtime, row: str, count: int) -> list[int]:
    wanted = {f"{row}{n}" for n in range(1, count + 1)}
    return [seat.pk for seat in showtime.room.seats.all() if seat.label in wanted]


def test_it_refuses_a_second_booking_past_the_customer_limit(customer, showtime, settings):
    settings.MAX_SEATS_PER_CUSTOMER = 10
    booking_create(user=customer, showtime=showtime, seat_ids=seats(showtime, "A", 8))

    with pytest.raises(BookingError) as error:
        booking_create(user=customer, showtime=showtime, seat_ids=seats(showtime, "B", 3))

    assert error.value.code == "customer_limit"
    assert "at most 10 seats" in error.value.message and "already have 8" in error.value.message
    assert Booking.objects.filter(user=customer).count() == 1
    assert Ticket.objects.filter(booking__user=customer, active=True).count() == 8


def test_it_allows_exactly_the_limit_and_counts_only_that_showtime(customer, showtime, settings):
    settings.MAX_SEATS_PER_CUSTOMER = 10
    other_showtime = ShowtimeFactory(room=showtime.room, starts_at=showtime.room_free_at)
    booking_create(user=customer, showtime=other_showtime, seat_ids=seats(other_showtime, "A", 10))
    booking_create(user=customer, showtime=showtime, seat_ids=seats(showtime, "A", 8))

    booking = booking_create(user=customer, showtime=showtime, seat_ids=seats(showtime, "B", 2))

    assert len(booking.held_tickets()) == 2


def test_cancelled_bookings_give_their_seats_back_to_the_limit(customer, showtime, settings):
    settings.MAX_SEATS_PER_CUSTOMER = 4
    booking = booking_create(user=customer, showtime=showtime, seat_ids=seats(showtime, "A", 4))

    booking_cancel(booking=booking, by=customer)

    assert booking_create(user=customer, showtime=showtime, seat_ids=seats(showtime, "B", 4))


def test_a_change_of_seats_counts_the_booking_once(customer, showtime, settings):
    settings.MAX_SEATS_PER_CUSTOMER = 5
    first = booking_create(user=customer, showtime=showtime, seat_ids=seats(showtime, "A", 2))
    booking_create(user=customer, showtime=showtime, seat_ids=seats(showtime, "B", 2))

    first = booking_change_seats(booking=first, seat_ids=seats(showtime, "C", 3), by=customer)
    with pytest.raises(BookingError) as error:
        booking_change_seats(booking=first, seat_ids=seats(showtime, "D", 4), by=customer)

    assert error.value.code == "customer_limit"
    assert first.seat_labels() == ["C1", "C2", "C3"]


def test_staff_are_exempt(staff, showtime, settings):
    settings.MAX_SEATS_PER_CUSTOMER = 10
    for row in "ABC":
        booking_create(user=staff, showtime=showtime, seat_ids=seats(showtime, row, 10))

    assert Ticket.objects.filter(booking__user=staff, active=True).count() == 30


def test_the_api_refuses_with_400_customer_limit(customer, showtime, settings):
    settings.MAX_SEATS_PER_CUSTOMER = 10
    client = api_client(customer)
    first = client.post(
        "/api/bookings", {"session": showtime.pk, "seats": seats(showtime, "A", 10)}, format="json"
    )

    response = client.post(
        "/api/bookings", {"session": showtime.pk, "seats": seats(showtime, "B", 1)}, format="json"
    )

    assert first.status_code == 201
    assert response.status_code == 400
    assert response.json()["code"] == "customer_limit"
    assert "at most 10 seats" in response.json()["detail"]
    assert Booking.objects.filter(user=customer).count() == 1


def test_the_seat_map_page_shows_the_limit_as_a_form_error(client, customer, showtime, settings):
    settings.MAX_SEATS_PER_CUSTOMER = 2
    make_booking(user=customer, showtime=showtime, labels=["A1", "A2"])
    client.force_login(customer)

    response = client.post(
        reverse("bookings:seat-map", args=[showtime.pk]), {"seats": seats(showtime, "B", 1)}
    )

    assert response.status_code == 200
    assert "at most 2 seats for one showtime" in response.content.decode()
    assert Booking.objects.filter(user=customer).count() == 1
