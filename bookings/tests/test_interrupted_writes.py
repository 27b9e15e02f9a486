"""A booking write interrupted after its tickets are written (a crash, a lost
connection) leaves nothing behind: each service is one transaction."""

from __future__ import annotations

import pytest

from bookings import services
from bookings.models import Booking, BookingStatus, Ticket
from bookings.tests.factories import make_booking
from theaters.tests.factories import ShowtimeFactory

# Real transactions, as in production: no test transaction around the service's own.
pytestmark = pytest.mark.django_db(transaction=True)


class Interrupted(Exception):
    pass


def interrupt_after(monkeypatch, name: str) -> None:
    """Run the service's step `name` for real, then fail, as a crash right after it would."""
    step = getattr(services, name)

    def then_fail(*args, **kwargs):
        step(*args, **kwargs)
        raise Interrupted

    monkeypatch.setattr(services, name, then_fail)


def state() -> tuple:
    return (
        list(Booking.objects.order_by("pk").values_list("pk", "status", "total_price", "cancelled_at")),
        list(Ticket.objects.order_by("pk").values_list("pk", "seat_id", "active", "released_at")),
    )


def seat_ids(showtime, *labels: str) -> list[int]:
    return [seat.pk for seat in showtime.room.seats.all() if seat.label in labels]


def test_an_interrupted_booking_leaves_no_booking_and_no_ticket(monkeypatch, customer):
    showtime = ShowtimeFactory()
    before = state()
    interrupt_after(monkeypatch, "_issue_tickets")

    with pytest.raises(Interrupted):
        services.booking_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "A1", "A2"))

    assert state() == before == ([], [])


def test_an_interrupted_seat_change_keeps_the_old_seats(monkeypatch, customer):
    showtime = ShowtimeFactory()
    booking = make_booking(user=customer, showtime=showtime, labels=["A1", "A2"])
    before = state()
    interrupt_after(monkeypatch, "_issue_tickets")

    with pytest.raises(Interrupted):
        services.booking_change_seats(booking=booking, seat_ids=seat_ids(showtime, "A2", "C3"), by=customer)

    assert state() == before
    assert Booking.objects.get(pk=booking.pk).seat_labels() == ["A1", "A2"]


def test_an_interrupted_cancel_keeps_the_booking_and_its_seats(monkeypatch, customer):
    showtime = ShowtimeFactory()
    booking = make_booking(user=customer, showtime=showtime, labels=["B1"])
    before = state()
    interrupt_after(monkeypatch, "_release")

    with pytest.raises(Interrupted):
        services.booking_cancel(booking=booking, by=customer)

    assert state() == before
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED


def test_the_seats_of_an_interrupted_booking_can_be_booked_at_once(monkeypatch, customer, other_customer):
    showtime = ShowtimeFactory()
    seats = seat_ids(showtime, "D4")
    with monkeypatch.context() as patch:
        interrupt_after(patch, "_issue_tickets")
        with pytest.raises(Interrupted):
            services.booking_create(user=customer, showtime=showtime, seat_ids=seats)

    booking = services.booking_create(user=other_customer, showtime=showtime, seat_ids=seats)

    assert booking.seat_labels() == ["D4"]
