from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from bookings import services
from bookings.models import CODE_ALPHABET, Booking, BookingStatus, Ticket
from bookings.services import (
    BookingError,
    booking_cancel,
    booking_change_seats,
    booking_create,
    showtime_cancel,
)
from bookings.tests.factories import make_booking, seat_ids
from theaters.models import ShowtimeStatus
from theaters.services import showtime_update
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def showtime():
    return ShowtimeFactory(room=RoomFactory(rows=3, seats_per_row=12), price=Decimal("12.50"))


def refusal(**kwargs) -> BookingError:
    with pytest.raises(BookingError) as error:
        booking_create(**kwargs)
    return error.value


def test_it_books_seats_at_the_showtime_price(customer, showtime):
    booking = booking_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "A1", "A2"))

    assert booking.status == BookingStatus.CONFIRMED
    assert booking.total_price == Decimal("25.00")
    assert sorted(booking.seat_labels()) == ["A1", "A2"]
    assert set(booking.tickets.values_list("price", flat=True)) == {Decimal("12.50")}


def test_the_price_is_fixed_at_booking_time(customer, showtime):
    booking = make_booking(user=customer, showtime=showtime, labels=["A1"])
    showtime.price = Decimal("20.00")
    showtime.save()

    booking.refresh_from_db()
    assert booking.total_price == Decimal("12.50")


def test_booking_codes_are_short_and_unambiguous(customer, showtime):
    booking = make_booking(user=customer, showtime=showtime, labels=["A1"])

    assert len(booking.code) == 8
    assert set(booking.code) <= set(CODE_ALPHABET)
    assert not set("0O1I") & set(CODE_ALPHABET)


def test_it_refuses_no_seats(customer, showtime):
    assert refusal(user=customer, showtime=showtime, seat_ids=[]).code == "no_seats"


def test_it_refuses_more_seats_than_the_limit(customer, showtime, settings):
    settings.MAX_SEATS_PER_BOOKING = 10
    labels = [f"A{n}" for n in range(1, 12)]

    error = refusal(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, *labels))

    assert error.code == "too_many_seats"
    assert "10" in error.message


def test_it_refuses_a_seat_twice(customer, showtime):
    error = refusal(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "A1", "A1"))

    assert error.code == "duplicate_seats"


def test_it_refuses_a_seat_of_another_room(customer, showtime):
    elsewhere = RoomFactory().seats.first()

    error = refusal(user=customer, showtime=showtime, seat_ids=[*seat_ids(showtime, "A1"), elsewhere.pk])

    assert error.code == "seat_not_in_room"
    assert not Booking.objects.exists()


def test_it_refuses_an_unknown_seat(customer, showtime):
    assert refusal(user=customer, showtime=showtime, seat_ids=[10**9]).code == "seat_not_in_room"


def test_it_refuses_a_cancelled_showtime(customer, showtime):
    showtime.status = ShowtimeStatus.CANCELLED
    showtime.save()

    assert (
        refusal(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "A1")).code
        == "session_cancelled"
    )


def test_it_refuses_a_showtime_that_has_started(customer):
    started = ShowtimeFactory(starts_at=timezone.now() - timedelta(minutes=1))

    assert (
        refusal(user=customer, showtime=started, seat_ids=seat_ids(started, "A1")).code == "session_started"
    )


def test_it_refuses_a_taken_seat_and_says_which(customer, other_customer, showtime):
    make_booking(user=other_customer, showtime=showtime, labels=["C5", "C6"])

    error = refusal(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "C4", "C5", "C6"))

    assert error.code == "seats_unavailable"
    assert error.is_conflict
    assert [seat.label for seat in error.seats] == ["C5", "C6"]
    assert error.message == "C5 and C6 were just taken. Please choose other seats."
    assert Booking.objects.count() == 1


def test_the_constraint_error_becomes_seats_unavailable_not_a_crash(
    customer, other_customer, showtime, monkeypatch
):
    make_booking(user=other_customer, showtime=showtime, labels=["A1"])
    # As if a writer had slipped past the lock: only the constraint is left.
    monkeypatch.setattr(services, "_refuse_taken", lambda *args, **kwargs: None)

    error = refusal(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "A1"))

    assert error.code == "seats_unavailable"
    assert Booking.objects.count() == 1  # the durable transaction rolled the half-written booking back


def test_the_database_refuses_a_seat_sold_twice(customer, other_customer, showtime):
    first = make_booking(user=customer, showtime=showtime, labels=["A1"])
    second = make_booking(user=other_customer, showtime=showtime, labels=["A2"])

    with pytest.raises(IntegrityError), transaction.atomic():
        Ticket.objects.create(booking=second, showtime=showtime, seat=first.tickets.get().seat, price=1)


def test_cancelling_frees_the_seats_and_keeps_the_record(customer, other_customer, showtime):
    booking = make_booking(user=customer, showtime=showtime, labels=["A1", "A2"])

    cancelled = booking_cancel(booking=booking, by=customer)

    assert cancelled.status == BookingStatus.CANCELLED
    assert cancelled.cancelled_by == customer
    assert cancelled.cancelled_at is not None
    assert sorted(Booking.objects.with_details().get(pk=booking.pk).seat_labels()) == ["A1", "A2"]
    assert Ticket.objects.filter(booking=booking, active=False).count() == 2
    again = make_booking(user=other_customer, showtime=showtime, labels=["A1", "A2"])
    assert again.status == BookingStatus.CONFIRMED


def test_it_refuses_to_cancel_twice(customer, showtime):
    booking = make_booking(user=customer, showtime=showtime, labels=["A1"])
    booking_cancel(booking=booking, by=customer)

    with pytest.raises(BookingError) as error:
        booking_cancel(booking=booking, by=customer)
    assert error.value.code == "booking_cancelled"
    assert error.value.is_conflict


def test_changing_seats_keeps_the_kept_and_frees_the_rest(customer, other_customer, showtime):
    booking = make_booking(user=customer, showtime=showtime, labels=["A1", "A2"])

    changed = booking_change_seats(
        booking=booking, seat_ids=seat_ids(showtime, "A2", "A3", "A4"), by=customer
    )

    changed = Booking.objects.with_details().get(pk=changed.pk)
    assert sorted(changed.seat_labels()) == ["A2", "A3", "A4"]
    assert changed.total_price == Decimal("37.50")
    assert make_booking(user=other_customer, showtime=showtime, labels=["A1"]).pk


def test_changing_to_a_seat_taken_by_someone_else_is_refused(customer, other_customer, showtime):
    booking = make_booking(user=customer, showtime=showtime, labels=["A1"])
    make_booking(user=other_customer, showtime=showtime, labels=["B1"])

    with pytest.raises(BookingError) as error:
        booking_change_seats(booking=booking, seat_ids=seat_ids(showtime, "A1", "B1"), by=customer)

    assert error.value.code == "seats_unavailable"
    assert Booking.objects.with_details().get(pk=booking.pk).seat_labels() == ["A1"]


def test_changing_a_cancelled_booking_is_refused(customer, showtime):
    booking = make_booking(user=customer, showtime=showtime, labels=["A1"])
    booking_cancel(booking=booking, by=customer)

    with pytest.raises(BookingError) as error:
        booking_change_seats(booking=booking, seat_ids=seat_ids(showtime, "A2"), by=customer)
    assert error.value.code == "booking_cancelled"


@pytest.fixture
def booking_inside_cutoff(customer, settings):
    settings.BOOKING_CHANGE_CUTOFF_MINUTES = 30
    showtime = ShowtimeFactory(starts_at=timezone.now() + timedelta(minutes=45))
    booking = make_booking(user=customer, showtime=showtime, labels=["A1"])
    showtime.starts_at = timezone.now() + timedelta(minutes=20)  # time passes
    showtime.set_times()
    showtime.save()
    return booking


def test_owners_cannot_change_or_cancel_after_the_cutoff(customer, booking_inside_cutoff):
    booking = booking_inside_cutoff
    with pytest.raises(BookingError) as error:
        booking_cancel(booking=booking, by=customer)
    assert error.value.code == "change_cutoff_passed"

    with pytest.raises(BookingError) as error:
        booking_change_seats(booking=booking, seat_ids=[booking.tickets.get().seat_id], by=customer)
    assert error.value.code == "change_cutoff_passed"


def test_staff_can_cancel_after_the_cutoff(staff, booking_inside_cutoff):
    assert booking_cancel(booking=booking_inside_cutoff, by=staff).status == BookingStatus.CANCELLED


def test_only_the_owner_or_staff_may_change_a_booking(customer, other_customer, showtime):
    booking = make_booking(user=customer, showtime=showtime, labels=["A1"])

    with pytest.raises(PermissionDenied):
        booking_cancel(booking=booking, by=other_customer)


def test_cancelling_a_showtime_cancels_its_confirmed_bookings(customer, other_customer, staff, showtime):
    kept_history = make_booking(user=customer, showtime=showtime, labels=["A1"])
    booking_cancel(booking=kept_history, by=customer)
    live = make_booking(user=other_customer, showtime=showtime, labels=["A2"])

    assert showtime_cancel(showtime=showtime, by=staff) == 1

    live.refresh_from_db()
    kept_history.refresh_from_db()
    showtime.refresh_from_db()
    assert showtime.status == ShowtimeStatus.CANCELLED
    assert (live.status, live.cancelled_by) == (BookingStatus.CANCELLED, staff)
    assert kept_history.cancelled_by == customer
    assert not Ticket.objects.filter(showtime=showtime, active=True).exists()


@pytest.mark.parametrize(("rows", "seats_per_row"), [(3, 12), (15, 20)], ids=["36 seats", "300 seats"])
@pytest.mark.parametrize("wanted", [1, 10], ids=["book 1", "book 10"])
def test_a_booking_makes_a_constant_number_of_queries(
    customer, other_customer, django_assert_num_queries, rows, seats_per_row, wanted
):
    showtime = ShowtimeFactory(room=RoomFactory(rows=rows, seats_per_row=seats_per_row))
    make_booking(user=other_customer, showtime=showtime, labels=["C1", "C2"])  # sold seats to look past
    ids = seat_ids(showtime, *(f"A{number}" for number in range(1, wanted + 1)))
    # (the test's savepoint standing in for the durable transaction, and its release),
    # the showtime's lock and seats_version bump in one statement, seats with whether
    # each is sold or held, the customer's seats of it already and their hold of each
    # (none to use up), booking insert, tickets insert, the sale added to the showtime's
    # sales; its prices as the other booking read them (their version has not moved)
    with django_assert_num_queries(7):
        booking = booking_create(user=customer, showtime=showtime, seat_ids=ids)

    assert booking.tickets.filter(active=True).count() == wanted


@pytest.mark.postgres
def test_the_database_refuses_a_ticket_for_another_showtime_than_its_booking(customer, showtime):
    booking = make_booking(user=customer, showtime=showtime, labels=["A1"])
    elsewhere = ShowtimeFactory(room=showtime.room, starts_at=showtime.room_free_at + timedelta(hours=1))

    with pytest.raises(IntegrityError), transaction.atomic():
        Ticket.objects.create(booking=booking, showtime=elsewhere, seat=booking.tickets.get().seat, price=1)


def test_a_booking_code_already_in_use_is_replaced_by_a_fresh_one(
    customer, other_customer, showtime, monkeypatch
):
    taken = make_booking(user=other_customer, showtime=showtime, labels=["A1"]).code
    codes = iter([taken, "ZZZZ2345"])
    monkeypatch.setattr(services, "new_booking_code", lambda: next(codes))

    booking = booking_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "A2"))

    assert booking.code == "ZZZZ2345"
    assert Booking.objects.count() == 2


def test_a_change_keeps_the_price_each_kept_seat_was_sold_at(customer, showtime):
    booking = booking_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "A1", "A2"))
    showtime_update(showtime=showtime, price=Decimal("0.00"))

    changed = booking_change_seats(booking=booking, seat_ids=seat_ids(showtime, "A2", "A3"), by=customer)

    prices = {t.seat.label: t.price for t in changed.held_tickets()}
    assert prices == {"A2": Decimal("12.50"), "A3": Decimal("0.00")}
    assert changed.total_price == Decimal("12.50")
    assert Booking.objects.get(pk=booking.pk).total_price == Decimal("12.50")


def test_a_cancelled_booking_still_shows_the_seats_it_held_not_those_it_gave_up(customer, showtime):
    booking = booking_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "A1", "A2"))
    booking = booking_change_seats(booking=booking, seat_ids=seat_ids(showtime, "A2"), by=customer)

    cancelled = booking_cancel(booking=booking, by=customer)

    assert cancelled.seat_labels() == ["A2"]
    reasons = dict(Ticket.objects.filter(booking=booking).values_list("seat__number", "released_because"))
    assert reasons == {1: "seats_changed", 2: "booking_cancelled"}


def test_a_booking_code_that_collides_is_drawn_again(customer, showtime, monkeypatch):
    taken = make_booking(user=customer, showtime=showtime, labels=["A1"]).code
    codes = iter([taken, "ZZZZ2222"])
    monkeypatch.setattr(services, "new_booking_code", lambda: next(codes))

    booking = booking_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "B1"))

    assert booking.code == "ZZZZ2222"


def test_another_broken_constraint_is_not_reported_as_seats_taken(customer, showtime, monkeypatch):
    def negative_tickets(booking, priced):  # breaks bookings_ticket_price_not_negative, not a seat rule
        return Ticket.objects.bulk_create(
            Ticket(
                booking=booking,
                showtime_id=booking.showtime_id,
                seat=ticket.seat,
                ticket_type=ticket.ticket_type,
                price=-1,
            )
            for ticket in priced
        )

    monkeypatch.setattr(services, "_issue_tickets", negative_tickets)
    with pytest.raises(IntegrityError):
        booking_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "A1"))

    assert not Booking.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_showtime_lock_is_refused_outside_a_transaction(showtime):
    with pytest.raises(RuntimeError, match="inside a transaction"):
        services._lock_showtime(showtime.pk)


@pytest.mark.parametrize("labels", [["A1"], ["A1", "A2", "A3", "B1", "B2", "C1"]], ids=["1 seat", "6 seats"])
def test_the_seat_query_filled_in_from_its_shape_reads_what_the_orm_reads(
    customer, other_customer, showtime, labels
):
    make_booking(user=customer, showtime=showtime, labels=["C1"])  # theirs already
    make_booking(user=other_customer, showtime=showtime, labels=["A2"])  # sold
    services.hold_create(user=other_customer, showtime=showtime, seat_ids=seat_ids(showtime, "B1"))
    services.hold_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "B2"))  # their own
    ids, now = seat_ids(showtime, *labels), timezone.now()
    columns = ("pk", "label", "sold", "held_until", "taken", "customer_tickets", "own_hold")

    def read(seats):
        return [tuple(getattr(seat, column) for column in columns) for seat in seats]

    filled = services._booking_seats_prepared(showtime, ids, now=now, user=customer).instances()
    built = services._booking_seats_query(showtime, ids, now=now, user=customer)

    assert read(filled) == read(built)
    # The other customer's hold expires: the shape takes this moment too.
    later = now + timedelta(hours=1)
    assert read(
        services._booking_seats_prepared(showtime, ids, now=later, user=customer).instances()
    ) == read(services._booking_seats_query(showtime, ids, now=later, user=customer))
