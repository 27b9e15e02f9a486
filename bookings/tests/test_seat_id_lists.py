"""Seat id lists are bounded before their elements are looked at (API and page form).

A request may carry 100,000 ids; checking each one before counting them would
spend the work the limit is there to save. Lists within the bound still reach
the booking service, which gives its friendly "at most 10 seats".
"""

from __future__ import annotations

import pytest

from bookings.api.serializers import BookingChangeSerializer, BookingCreateSerializer
from bookings.forms import MAX_SEAT_IDS, SeatSelectionForm
from bookings.models import Booking, Ticket
from bookings.tests.factories import make_booking
from cinema.tests.clients import api_client
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = pytest.mark.django_db

HUGE = 100_000


class Untouchable:
    """An element that fails the test if anything converts or validates it."""

    def __int__(self) -> int:
        raise AssertionError("an element was looked at")

    def __str__(self) -> str:
        raise AssertionError("an element was looked at")

    __index__ = __int__


def test_the_api_refuses_100000_seat_ids_with_a_field_error_and_books_nothing(customer):
    showtime = ShowtimeFactory()

    response = api_client(customer).post(
        "/api/bookings", {"session": showtime.pk, "seats": list(range(1, HUGE + 1))}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"seats": [f"Ensure this field has no more than {MAX_SEAT_IDS} elements."]}
    assert not Booking.objects.exists()


def test_a_change_of_seats_refuses_100000_ids_and_keeps_the_booking(customer):
    showtime = ShowtimeFactory()
    booking = make_booking(user=customer, showtime=showtime, labels=["A1"])

    response = api_client(customer).patch(
        f"/api/bookings/{booking.pk}", {"seats": list(range(1, HUGE + 1))}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["seats"]
    held = Ticket.objects.filter(booking=booking, active=True).values_list("seat__row", "seat__number")
    assert list(held) == [("A", 1)]


@pytest.mark.parametrize("serializer_class", [BookingCreateSerializer, BookingChangeSerializer])
def test_the_serializers_count_the_ids_before_validating_any(serializer_class):
    showtime = ShowtimeFactory()
    serializer = serializer_class(data={"session": showtime.pk, "seats": [Untouchable()] * HUGE})

    assert not serializer.is_valid()
    assert [str(error) for error in serializer.errors["seats"]] == [
        f"Ensure this field has no more than {MAX_SEAT_IDS} elements."
    ]


def test_the_api_leaves_11_seats_to_the_services_friendly_limit(customer):
    showtime = ShowtimeFactory(room=RoomFactory(rows=2, seats_per_row=10))

    response = api_client(customer).post(
        "/api/bookings",
        {"session": showtime.pk, "seats": list(showtime.room.seats.values_list("pk", flat=True)[:11])},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "You can book at most 10 seats at once.", "code": "too_many_seats"}


def test_the_page_form_refuses_100000_ids_without_converting_any():
    form = SeatSelectionForm({"seats": [Untouchable()] * HUGE})

    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["seats"]] == ["too_many"]
    assert form.errors["seats"] == ["You can book at most 10 seats at once."]


def test_the_page_form_refuses_100000_valid_ids():
    form = SeatSelectionForm({"seats": [str(pk) for pk in range(1, HUGE + 1)]})

    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["seats"]] == ["too_many"]


def test_the_page_form_passes_up_to_the_bound_on_to_the_service():
    form = SeatSelectionForm({"seats": [str(pk) for pk in range(1, MAX_SEAT_IDS + 1)]})

    assert form.is_valid()
    assert form.cleaned_data["seats"] == list(range(1, MAX_SEAT_IDS + 1))
