"""Data migrations, run for real between their neighbouring states."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from theaters.tests.factories import RoomFactory, ShowtimeFactory

BEFORE = [("bookings", "0004_booking_confirmed_index")]
AFTER = [("bookings", "0005_ticket_released_because")]


@pytest.mark.django_db(transaction=True)
def test_it_records_why_each_existing_ticket_was_released(customer, migrate):
    apps = migrate(BEFORE)
    Booking, Ticket = apps.get_model("bookings", "Booking"), apps.get_model("bookings", "Ticket")
    # Only bookings go back: the other apps' tables stay as they are now.
    showtime = ShowtimeFactory(room=RoomFactory(rows=1, seats_per_row=3))
    seats = list(showtime.room.seats.order_by("number").values_list("pk", flat=True))
    changed_at, cancelled_at = timezone.now() - timedelta(hours=2), timezone.now() - timedelta(hours=1)
    booking = Booking.objects.create(
        user_id=customer.pk,
        showtime_id=showtime.pk,
        code="OLD22222",
        total_price=5,
        status="cancelled",
        cancelled_at=cancelled_at,
        cancelled_by_id=customer.pk,
    )
    kept = Booking.objects.create(
        user_id=customer.pk, showtime_id=showtime.pk, code="OLD33333", total_price=5
    )
    Ticket.objects.create(
        booking=booking,
        showtime_id=showtime.pk,
        seat_id=seats[0],
        price=5,
        active=False,
        released_at=changed_at,
    )
    Ticket.objects.create(
        booking=booking,
        showtime_id=showtime.pk,
        seat_id=seats[1],
        price=5,
        active=False,
        released_at=cancelled_at,
    )
    Ticket.objects.create(booking=kept, showtime_id=showtime.pk, seat_id=seats[2], price=5)

    apps = migrate(AFTER)

    reasons = dict(apps.get_model("bookings", "Ticket").objects.values_list("seat_id", "released_because"))
    assert reasons == {seats[0]: "seats_changed", seats[1]: "booking_cancelled", seats[2]: ""}


@pytest.mark.django_db(transaction=True)
def test_tickets_sold_before_ticket_types_become_adult_tickets_at_their_price(customer, migrate):
    apps = migrate([("bookings", "0006_holds")])
    Booking, Ticket = apps.get_model("bookings", "Booking"), apps.get_model("bookings", "Ticket")
    showtime = ShowtimeFactory(room=RoomFactory(rows=1, seats_per_row=2))
    seats = list(showtime.room.seats.order_by("number").values_list("pk", flat=True))
    booking = Booking.objects.create(
        user_id=customer.pk, showtime_id=showtime.pk, code="OLD44444", total_price="19.00"
    )
    Ticket.objects.create(booking=booking, showtime_id=showtime.pk, seat_id=seats[0], price="9.50")
    Ticket.objects.create(booking=booking, showtime_id=showtime.pk, seat_id=seats[1], price="9.50")

    apps = migrate([("bookings", "0007_ticket_types")])

    tickets = apps.get_model("bookings", "Ticket").objects.order_by("seat_id")
    assert [(t.ticket_type.code, str(t.price)) for t in tickets] == [("adult", "9.50"), ("adult", "9.50")]
