"""The waiting list (DESIGN.md "Waiting list"): joining only when sold out, once;
freed seats offered in queue order with the party-fit skip; an offer run out handed
on at its expiry (frozen clock); the offer mail with its checkout link over SMTP."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.tests.factories import UserFactory
from bookings.models import Hold, HoldStatus, WaitlistEntry, WaitlistStatus
from bookings.services import (
    BookingError,
    booking_cancel,
    booking_change_seats,
    booking_create_from_hold,
    hold_create,
    hold_release,
    hold_renew,
    offer_freed_seats,
    showtime_cancel,
    waitlist_join,
    waitlist_leave,
)
from bookings.tests.factories import make_booking, seat_ids
from cinema.tests.smtp import part_of
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
        room=RoomFactory(rows=1, seats_per_row=4), price=Decimal("9.50"), starts_at=NOW + timedelta(hours=3)
    )


@pytest.fixture
def sold_out(showtime, staff):
    """Two bookings fill the room: A1–A2 and A3 (by staff), A4 (a single)."""
    return {
        "pair": make_booking(user=staff, showtime=showtime, labels=["A1", "A2"]),
        "single": make_booking(user=staff, showtime=showtime, labels=["A3"]),
        "last": make_booking(user=staff, showtime=showtime, labels=["A4"]),
    }


def refused(call, **kwargs) -> BookingError:
    with pytest.raises(BookingError) as error:
        call(**kwargs)
    return error.value


def people(count: int) -> list:
    return [UserFactory(email=f"waiting{number}@example.com") for number in range(count)]


def test_joining_is_refused_while_a_seat_is_free(customer, showtime, staff):
    make_booking(user=staff, showtime=showtime, labels=["A1", "A2", "A3"])

    error = refused(waitlist_join, user=customer, showtime=showtime, party_size=2)

    assert (error.code, error.is_conflict) == ("seats_available", True)
    assert not WaitlistEntry.objects.exists()


def test_a_seat_held_by_someone_else_counts_as_taken_but_ones_own_hold_does_not(
    customer, other_customer, showtime, staff
):
    make_booking(user=staff, showtime=showtime, labels=["A1", "A2", "A3"])
    hold_create(user=other_customer, showtime=showtime, count=1)

    entry = waitlist_join(user=customer, showtime=showtime, party_size=1)
    assert (entry.status, entry.position) == (WaitlistStatus.WAITING, 1)

    error = refused(waitlist_join, user=other_customer, showtime=showtime, party_size=1)
    assert error.code == "seats_available"  # the seat they hold is theirs to book


def test_one_joins_a_sold_out_showtime_once(customer, showtime, sold_out):
    entry = waitlist_join(user=customer, showtime=showtime, party_size=2)

    assert (entry.user, entry.party_size, entry.position, entry.hold) == (customer, 2, 1, None)
    error = refused(waitlist_join, user=customer, showtime=showtime, party_size=1)
    assert (error.code, error.is_conflict) == ("already_waiting", True)
    assert WaitlistEntry.objects.count() == 1


def test_one_who_left_may_join_again_at_the_back(customer, other_customer, showtime, sold_out):
    first = waitlist_join(user=customer, showtime=showtime, party_size=1)
    waitlist_join(user=other_customer, showtime=showtime, party_size=1)
    waitlist_leave(entry=first, by=customer)

    again = waitlist_join(user=customer, showtime=showtime, party_size=1)

    assert again.position == 2
    assert WaitlistEntry.objects.get(pk=first.pk).status == WaitlistStatus.LEFT


@pytest.mark.parametrize("size", [0, 11])
def test_a_party_is_one_to_max_seats_per_booking(customer, showtime, sold_out, size):
    error = refused(waitlist_join, user=customer, showtime=showtime, party_size=size)

    assert (error.code, error.field, error.is_conflict) == ("party_size", "party_size", False)


def test_no_joining_after_the_sales_cut_off(customer, showtime, sold_out, clock, settings):
    settings.SALES_CLOSE_MINUTES = 30
    clock.move_to(showtime.starts_at - timedelta(minutes=30))

    error = refused(waitlist_join, user=customer, showtime=showtime, party_size=1)

    assert (error.code, error.is_conflict) == ("sales_closed", False)


def test_position_is_live(showtime, sold_out):
    first, second, third = people(3)
    entries = [waitlist_join(user=user, showtime=showtime, party_size=1) for user in (first, second, third)]
    assert [entry.position for entry in entries] == [1, 2, 3]

    waitlist_leave(entry=entries[0], by=first)

    positions = dict(WaitlistEntry.objects.with_position().values_list("user__email", "position"))
    assert positions == {first.email: None, second.email: 1, third.email: 2}


def test_a_cancel_offers_the_seats_to_the_first_whose_party_fits(
    showtime, sold_out, staff, django_capture_on_commit_callbacks, settings
):
    settings.WAITLIST_OFFER_MINUTES = 30
    trio, single, later = people(3)
    big = waitlist_join(user=trio, showtime=showtime, party_size=3)
    small = waitlist_join(user=single, showtime=showtime, party_size=1)
    waitlist_join(user=later, showtime=showtime, party_size=1)

    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=sold_out["single"], by=staff)

    big.refresh_from_db()
    small.refresh_from_db()
    assert big.status == WaitlistStatus.WAITING  # three do not fit in one seat: skipped
    assert small.status == WaitlistStatus.OFFERED
    assert small.hold.user == single
    assert small.hold.seat_labels() == ["A3"]
    assert small.hold.expires_at == NOW + timedelta(minutes=30)
    assert WaitlistEntry.objects.filter(status=WaitlistStatus.WAITING).count() == 2
    # The skipped party keeps its place at the front.
    assert WaitlistEntry.objects.with_position().get(pk=big.pk).position == 1


def test_the_offer_is_the_best_seats_for_the_party_together_or_not(
    showtime, sold_out, staff, django_capture_on_commit_callbacks
):
    [pair] = people(1)
    entry = waitlist_join(user=pair, showtime=showtime, party_size=2)
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=sold_out["single"], by=staff)
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.WAITING  # one seat free, a party of two

    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=sold_out["pair"], by=staff)

    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.OFFERED
    assert entry.hold.seat_labels() in (["A1", "A2"], ["A2", "A3"])


def test_an_offer_never_runs_past_the_sales_cut_off(
    showtime, sold_out, staff, clock, settings, django_capture_on_commit_callbacks
):
    settings.SALES_CLOSE_MINUTES = 10
    [user] = people(1)
    entry = waitlist_join(user=user, showtime=showtime, party_size=1)
    clock.move_to(showtime.starts_at - timedelta(minutes=20))

    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=sold_out["single"], by=staff)

    entry.refresh_from_db()
    assert entry.hold.expires_at == showtime.starts_at - timedelta(minutes=10)


def test_an_offer_run_out_goes_to_the_next_at_its_expiry(
    showtime, sold_out, staff, clock, django_capture_on_commit_callbacks, settings
):
    settings.WAITLIST_OFFER_MINUTES = 30
    first, second = people(2)
    a = waitlist_join(user=first, showtime=showtime, party_size=1)
    b = waitlist_join(user=second, showtime=showtime, party_size=1)
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=sold_out["single"], by=staff)
    a.refresh_from_db()
    assert a.status == WaitlistStatus.OFFERED

    clock.move_to(NOW + timedelta(minutes=29, seconds=59))
    with django_capture_on_commit_callbacks(execute=True):
        assert offer_freed_seats.call(showtime.pk) == 0  # still a.'s: nothing to hand on
    assert WaitlistEntry.objects.get(pk=b.pk).status == WaitlistStatus.WAITING

    clock.move_to(NOW + timedelta(minutes=30))
    # Reads already see it run out, before the hand-over runs.
    a.refresh_from_db()
    assert a.current_status() == WaitlistStatus.EXPIRED
    with django_capture_on_commit_callbacks(execute=True):
        assert offer_freed_seats.call(showtime.pk) == 1

    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == WaitlistStatus.EXPIRED
    assert b.status == WaitlistStatus.OFFERED
    assert b.hold.seat_labels() == ["A3"]
    assert b.hold.expires_at == NOW + timedelta(minutes=60)


def test_releasing_an_offer_hands_it_on_at_once(
    showtime, sold_out, staff, django_capture_on_commit_callbacks
):
    first, second = people(2)
    a = waitlist_join(user=first, showtime=showtime, party_size=1)
    b = waitlist_join(user=second, showtime=showtime, party_size=1)
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=sold_out["single"], by=staff)
    a.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        hold_release(hold=a.hold, by=first)

    assert WaitlistEntry.objects.get(pk=a.pk).status == WaitlistStatus.EXPIRED
    assert WaitlistEntry.objects.get(pk=b.pk).status == WaitlistStatus.OFFERED


def test_leaving_with_an_offer_gives_the_seats_to_the_next(
    showtime, sold_out, staff, django_capture_on_commit_callbacks
):
    first, second = people(2)
    a = waitlist_join(user=first, showtime=showtime, party_size=1)
    b = waitlist_join(user=second, showtime=showtime, party_size=1)
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=sold_out["single"], by=staff)
    offered_hold = WaitlistEntry.objects.get(pk=a.pk).hold

    with django_capture_on_commit_callbacks(execute=True):
        waitlist_leave(entry=a, by=first)

    offered_hold.refresh_from_db()
    assert offered_hold.status == HoldStatus.RELEASED
    assert WaitlistEntry.objects.get(pk=a.pk).status == WaitlistStatus.LEFT
    assert WaitlistEntry.objects.get(pk=b.pk).hold.seat_labels() == ["A3"]


def test_only_the_owner_or_staff_may_take_an_entry_off(customer, other_customer, staff, showtime, sold_out):
    entry = waitlist_join(user=customer, showtime=showtime, party_size=1)

    with pytest.raises(PermissionDenied):
        waitlist_leave(entry=entry, by=other_customer)
    assert WaitlistEntry.objects.get(pk=entry.pk).status == WaitlistStatus.WAITING

    waitlist_leave(entry=entry, by=staff)
    assert WaitlistEntry.objects.get(pk=entry.pk).status == WaitlistStatus.LEFT


def test_booking_the_offer_marks_the_entry_booked(
    showtime, sold_out, staff, django_capture_on_commit_callbacks
):
    [user] = people(1)
    entry = waitlist_join(user=user, showtime=showtime, party_size=1)
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=sold_out["single"], by=staff)
    entry.refresh_from_db()

    booking = booking_create_from_hold(hold=entry.hold, by=user)

    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.BOOKED
    assert booking.seat_labels() == ["A3"]
    assert Hold.objects.get(pk=entry.hold_id).status == HoldStatus.BOOKED


def test_a_cancelled_showtime_closes_its_list(customer, showtime, sold_out, staff):
    entry = waitlist_join(user=customer, showtime=showtime, party_size=1)

    showtime_cancel(showtime=showtime, by=staff)

    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.EXPIRED
    assert not Hold.objects.exists()


def test_the_offer_mail_with_its_checkout_link_arrives_over_smtp(
    customer, showtime, sold_out, staff, smtp_server, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://cinema.example"
    entry = waitlist_join(user=customer, showtime=showtime, party_size=1)

    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=sold_out["single"], by=staff)

    entry.refresh_from_db()
    offers = [m for m in smtp_server.messages if m["To"] == customer.email]
    [message] = offers
    link = f"https://cinema.example/checkout/{entry.hold_id}/"
    assert message["Subject"] == f"Seats for {showtime.movie.title} are waiting for you"
    text = part_of(message, "text/plain").get_content()
    assert link in text
    assert "A3" in text
    assert f'href="{link}"' in part_of(message, "text/html").get_content()


def test_a_change_of_seats_that_frees_one_offers_it(
    showtime, sold_out, staff, django_capture_on_commit_callbacks
):
    [user] = people(1)
    entry = waitlist_join(user=user, showtime=showtime, party_size=1)
    pair = sold_out["pair"]

    with django_capture_on_commit_callbacks(execute=True):
        booking_change_seats(booking=pair, seat_ids=[pair.tickets.get(seat__number=1).seat_id], by=staff)

    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.OFFERED
    assert entry.hold.seat_labels() == ["A2"]


def test_a_customer_choosing_other_seats_frees_the_ones_held_for_the_list(
    customer, showtime, staff, django_capture_on_commit_callbacks
):
    make_booking(user=staff, showtime=showtime, labels=["A1", "A2"])
    hold_create(user=customer, showtime=showtime, count=2)  # A3, A4: sold out for the others
    [user] = people(1)
    entry = waitlist_join(user=user, showtime=showtime, party_size=1)

    with django_capture_on_commit_callbacks(execute=True):
        hold_create(user=customer, showtime=showtime, count=1)

    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.OFFERED
    assert len(entry.hold.seat_labels()) == 1


def test_each_hold_and_offer_schedules_a_hand_over_at_its_expiry(
    showtime, sold_out, staff, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    [user] = people(1)
    entry = waitlist_join(user=user, showtime=showtime, party_size=1)
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=sold_out["single"], by=staff)
    runs = DBTaskResult.objects.filter(task_path="bookings.services.offer_freed_seats")
    [now_run] = runs
    assert now_run.args_kwargs == {"args": [showtime.pk], "kwargs": {}}
    assert now_run.task_result.task.run_after is None  # at once

    with django_capture_on_commit_callbacks(execute=True):
        assert offer_freed_seats.call(showtime.pk) == 1

    entry.refresh_from_db()
    [later] = runs.exclude(pk=now_run.pk)
    assert later.run_after == entry.hold.expires_at


def test_a_customer_hold_schedules_a_hand_over_at_its_expiry_and_again_when_renewed(
    customer, showtime, clock, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    runs = DBTaskResult.objects.filter(task_path="bookings.services.offer_freed_seats")

    with django_capture_on_commit_callbacks(execute=True):
        hold = hold_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "A1"))
    first_expiry = hold.expires_at
    assert list(runs.values_list("run_after", flat=True)) == [first_expiry]

    clock.shift(timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        renewed = hold_renew(hold=hold, by=customer)
    assert renewed.expires_at == first_expiry + timedelta(minutes=5)
    assert sorted(runs.values_list("run_after", flat=True)) == [first_expiry, renewed.expires_at]


def offer_run_queries(showtime, sold_out, staff, parties: int) -> int:
    """The queries of the offer run after one seat frees up, with `parties` trios waiting."""
    for user in people(parties):
        waitlist_join(user=user, showtime=showtime, party_size=3)
    booking_cancel(booking=sold_out["single"], by=staff)
    with CaptureQueriesContext(connection) as queries:
        assert offer_freed_seats.call(showtime.pk) == 0
    return len(queries)


def test_parties_too_large_for_the_seats_freed_cost_no_query_each(showtime, sold_out, staff, other_customer):
    few = offer_run_queries(showtime, sold_out, staff, parties=2)
    WaitlistEntry.objects.all().delete()
    sold_out["single"] = make_booking(user=other_customer, showtime=showtime, labels=["A3"])

    assert offer_run_queries(showtime, sold_out, staff, parties=12) == few
