"""Seat holds (DESIGN.md "Seat holds", "Sales cut-off"), with a frozen clock."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from bookings.models import Booking, Hold, HoldSeat, HoldStatus, Ticket
from bookings.selectors import seat_states
from bookings.services import (
    BookingError,
    booking_create,
    booking_create_from_hold,
    hold_create,
    hold_release,
    hold_renew,
)
from bookings.tests.factories import make_booking, seat_ids
from theaters.models import Showtime
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0) + timedelta(days=1)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def showtime(clock):
    return ShowtimeFactory(
        room=RoomFactory(rows=3, seats_per_row=8), price=Decimal("9.50"), starts_at=NOW + timedelta(hours=3)
    )


def refused(call, **kwargs) -> BookingError:
    with pytest.raises(BookingError) as error:
        call(**kwargs)
    return error.value


def test_a_hold_keeps_the_seats_for_hold_minutes(customer, showtime, settings):
    settings.HOLD_MINUTES = 10

    hold = hold_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "A1", "A2"))

    assert hold.expires_at == NOW + timedelta(minutes=10)
    assert hold.current_status() == HoldStatus.ACTIVE and hold.renewals_left == 2
    assert sorted(HoldSeat.objects.filter(active=True).values_list("seat_id", flat=True)) == seat_ids(
        showtime, "A1", "A2"
    )


def test_a_held_seat_is_unavailable_to_everyone_else(customer, other_customer, showtime):
    hold_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "A1"))

    held = refused(
        hold_create, user=other_customer, showtime=showtime, seat_ids=seat_ids(showtime, "A1", "A2")
    )
    booked = refused(
        booking_create, user=other_customer, showtime=showtime, seat_ids=seat_ids(showtime, "A1")
    )

    assert held.code == booked.code == "seats_unavailable"
    assert [seat.label for seat in held.seats] == ["A1"]
    assert not Booking.objects.exists()
    states = seat_states(Showtime.objects.get(pk=showtime.pk))
    assert states.held_ids == set(seat_ids(showtime, "A1")) == states.taken_ids


def test_an_expired_hold_frees_its_seats_to_the_second(customer, other_customer, showtime, clock, settings):
    settings.HOLD_MINUTES = 10
    hold_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "B4"))

    clock.move_to(NOW + timedelta(minutes=10) - timedelta(seconds=1))
    still = refused(booking_create, user=other_customer, showtime=showtime, seat_ids=seat_ids(showtime, "B4"))
    assert still.code == "seats_unavailable"
    assert seat_states(Showtime.objects.get(pk=showtime.pk)).taken_ids == set(seat_ids(showtime, "B4"))

    clock.move_to(NOW + timedelta(minutes=10))
    # The cached map ends with the hold it saw: no write happened in between.
    assert seat_states(Showtime.objects.get(pk=showtime.pk)).taken_ids == frozenset()
    again = hold_create(user=other_customer, showtime=showtime, seat_ids=seat_ids(showtime, "B4"))

    assert again.current_status() == HoldStatus.ACTIVE
    assert Hold.objects.get(user=customer).current_status() == HoldStatus.EXPIRED


def test_a_new_hold_replaces_the_customers_hold_of_that_showtime(customer, showtime):
    first = hold_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "A1", "A2"))

    second = hold_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "A2", "A3"))

    first.refresh_from_db()
    assert first.status == HoldStatus.RELEASED
    assert second.current_status() == HoldStatus.ACTIVE
    assert sorted(HoldSeat.objects.filter(active=True).values_list("seat_id", flat=True)) == seat_ids(
        showtime, "A2", "A3"
    )


def test_a_hold_takes_at_most_max_seats_per_booking(customer, showtime, settings):
    settings.MAX_SEATS_PER_BOOKING = 2

    error = refused(
        hold_create, user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "A1", "A2", "A3")
    )

    assert error.code == "too_many_seats"
    assert not Hold.objects.exists()


def test_renewals_extend_from_now_up_to_the_limit(customer, showtime, clock, settings):
    settings.HOLD_MINUTES, settings.HOLD_RENEWALS = 10, 2
    hold = hold_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "C1"))

    clock.move_to(NOW + timedelta(minutes=8))
    hold = hold_renew(hold=hold, by=customer)
    assert hold.expires_at == NOW + timedelta(minutes=18) and hold.renewals_left == 1
    clock.move_to(NOW + timedelta(minutes=17))
    hold = hold_renew(hold=hold, by=customer)
    assert hold.expires_at == NOW + timedelta(minutes=27) and hold.renewals_left == 0

    error = refused(hold_renew, hold=hold, by=customer)
    assert error.code == "hold_renewal_limit" and error.is_conflict
    assert Hold.objects.get(pk=hold.pk).expires_at == NOW + timedelta(minutes=27)


def test_an_expired_hold_cannot_be_renewed(customer, showtime, clock, settings):
    settings.HOLD_MINUTES = 10
    hold = hold_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "C1"))
    clock.move_to(NOW + timedelta(minutes=10))

    error = refused(hold_renew, hold=hold, by=customer)

    assert error.code == "hold_expired" and error.is_conflict


def test_a_hold_never_lasts_past_the_sales_cut_off(customer, clock, settings):
    settings.HOLD_MINUTES, settings.SALES_CLOSE_MINUTES = 10, 30
    showtime = ShowtimeFactory(starts_at=NOW + timedelta(minutes=36))

    hold = hold_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "A1"))
    clock.move_to(NOW + timedelta(minutes=4))
    hold = hold_renew(hold=hold, by=customer)

    assert hold.expires_at == NOW + timedelta(minutes=6)  # the cut-off, 30 minutes before the start


def test_after_the_cut_off_customers_get_sales_closed_and_staff_may_still_book(
    customer, staff, clock, settings
):
    settings.SALES_CLOSE_MINUTES = 30
    showtime = ShowtimeFactory(starts_at=NOW + timedelta(minutes=20))

    held = refused(hold_create, user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "A1"))
    booked = refused(booking_create, user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "A1"))

    assert held.code == booked.code == "sales_closed" and not held.is_conflict
    assert booking_create(user=staff, showtime=showtime, seat_ids=seat_ids(showtime, "A1")).pk
    assert hold_create(user=staff, showtime=showtime, seat_ids=seat_ids(showtime, "A2")).pk


def test_confirming_books_exactly_the_held_seats(customer, showtime):
    hold = hold_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "B2", "B3"))

    booking = booking_create_from_hold(hold=hold, by=customer)

    hold.refresh_from_db()
    assert booking.seat_labels() == ["B2", "B3"]
    assert booking.total_price == Decimal("19.00")
    assert hold.status == HoldStatus.BOOKED and hold.booking_id == booking.pk
    assert not HoldSeat.objects.filter(active=True).exists()
    assert Ticket.objects.filter(active=True).count() == 2


def test_confirming_after_expiry_is_refused_and_writes_nothing(customer, showtime, clock, settings):
    settings.HOLD_MINUTES = 10
    hold = hold_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "B2"))
    clock.move_to(NOW + timedelta(minutes=10, seconds=1))

    error = refused(booking_create_from_hold, hold=hold, by=customer)

    assert error.code == "hold_expired" and error.is_conflict
    assert not Booking.objects.exists() and not Ticket.objects.exists()


def test_a_released_hold_cannot_be_confirmed(customer, showtime):
    hold = hold_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "B2"))
    hold_release(hold=hold, by=customer)

    assert refused(booking_create_from_hold, hold=hold, by=customer).code == "hold_expired"
    assert Hold.objects.get(pk=hold.pk).status == HoldStatus.RELEASED
    assert not HoldSeat.objects.filter(active=True).exists()


def test_nobody_else_confirms_renews_or_releases_a_customers_hold(customer, other_customer, staff, showtime):
    hold = hold_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "B2"))

    for call in (booking_create_from_hold, hold_renew, hold_release):
        with pytest.raises(PermissionDenied):
            call(hold=hold, by=other_customer)
    with pytest.raises(PermissionDenied):
        booking_create_from_hold(hold=hold, by=staff)

    assert Hold.objects.get(pk=hold.pk).current_status() == HoldStatus.ACTIVE


def test_staff_may_release_anyones_hold(customer, staff, showtime):
    hold = hold_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "B2"))

    hold_release(hold=hold, by=staff)

    assert Hold.objects.get(pk=hold.pk).status == HoldStatus.RELEASED


def test_booking_directly_uses_up_the_customers_own_hold_of_those_seats(customer, showtime):
    hold = hold_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "A1", "A2"))

    booking = booking_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "A1"))

    hold.refresh_from_db()
    assert hold.status == HoldStatus.BOOKED and hold.booking_id == booking.pk
    assert not HoldSeat.objects.filter(active=True).exists()


def test_a_hold_counts_against_the_customer_limit(customer, showtime, settings):
    settings.MAX_SEATS_PER_CUSTOMER = 4
    make_booking(user=customer, showtime=showtime, labels=["C1", "C2", "C3"])

    error = refused(hold_create, user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "A1", "A2"))

    assert error.code == "customer_limit"
    assert not Hold.objects.exists()
