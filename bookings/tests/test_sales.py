"""Each showtime's sales by ticket type (bookings/sales.py): every write of its
tickets or check-ins leaves them equal to a recount, and the figures are right."""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from accounts.tests.factories import UserFactory
from bookings import services
from bookings.checkin import CheckInError, checkin_admit, checkin_undo
from bookings.errors import BookingError
from bookings.models import Booking, Ticket, TicketTypeSales
from bookings.sales import sales_drift, sales_recount
from bookings.tests.factories import make_booking, seat_ids
from cinema.tests.clients import api_client
from cinema.tests.races import race
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = pytest.mark.django_db

PRICES = {"child": Decimal("6.00")}


def sold(showtime) -> dict[str, tuple]:
    """(tickets, revenue, checked in, bookings, bookings led) by type code, zeros left out,
    after checking the stored rows against a recount."""
    assert sales_drift() == []
    rows = TicketTypeSales.objects.filter(showtime=showtime).exclude(tickets=0).select_related("ticket_type")
    return {
        row.ticket_type.code: (row.tickets, row.revenue, row.checked_in, row.bookings, row.bookings_led)
        for row in rows
    }


@pytest.fixture
def showtime():
    return ShowtimeFactory(price=Decimal("10.00"), prices=PRICES)


def test_a_booking_adds_its_tickets_by_type_and_counts_once(customer, other_customer, showtime):
    make_booking(user=customer, showtime=showtime, labels=["A1", "A2"], types={"A2": "child"})
    make_booking(user=other_customer, showtime=showtime, labels=["B1"])

    assert sold(showtime) == {
        "adult": (2, Decimal("20.00"), 0, 2, 2),
        # The family's booking is in both types' bookings, and led by one of them only.
        "child": (1, Decimal("6.00"), 0, 1, 0),
    }


def test_a_refused_booking_leaves_the_sales_as_they_were(customer, other_customer, showtime):
    make_booking(user=customer, showtime=showtime, labels=["A1"])

    with pytest.raises(BookingError):
        make_booking(user=other_customer, showtime=showtime, labels=["A1", "A2"])

    assert sold(showtime) == {"adult": (1, Decimal("10.00"), 0, 1, 1)}


def test_a_change_of_seats_moves_them_between_types(customer, showtime):
    booking = make_booking(user=customer, showtime=showtime, labels=["A1", "A2"], types={"A2": "child"})
    a1, b1 = seat_ids(showtime, "A1", "B1")

    services.booking_change_seats(booking=booking, seat_ids=[a1, b1], by=customer)

    assert sold(showtime) == {"adult": (2, Decimal("20.00"), 0, 1, 1)}


def test_a_cancellation_takes_the_booking_out(customer, other_customer, staff, showtime):
    kept = make_booking(user=customer, showtime=showtime, labels=["A1"])
    gone = make_booking(user=other_customer, showtime=showtime, labels=["B1", "B2"], types={"B2": "child"})

    services.booking_cancel(booking=gone, by=staff)

    assert sold(showtime) == {"adult": (1, Decimal("10.00"), 0, 1, 1)}
    assert kept.status == "confirmed"


def test_a_cancelled_showtime_has_sold_nothing(customer, staff, showtime):
    make_booking(user=customer, showtime=showtime, labels=["A1", "A2"])

    services.showtime_cancel(showtime=showtime, by=staff)

    assert sold(showtime) == {}


def test_a_booking_from_a_hold_counts_like_any_other(customer, showtime):
    hold = services.hold_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "C1", "C2"))
    assert sold(showtime) == {}  # a hold sells nothing

    services.booking_create_from_hold(hold=hold, by=customer)

    assert sold(showtime) == {"adult": (2, Decimal("20.00"), 0, 1, 1)}


def test_a_check_in_and_its_undo_move_the_admitted_tickets(customer, other_customer, staff, showtime):
    family = make_booking(user=customer, showtime=showtime, labels=["A1", "A2"], types={"A2": "child"})
    make_booking(user=other_customer, showtime=showtime, labels=["B1"])

    with time_machine.travel(showtime.starts_at, tick=False):
        checkin_admit(booking=family, showtime=showtime, by=staff)
        assert sold(showtime) == {
            "adult": (2, Decimal("20.00"), 1, 2, 2),
            "child": (1, Decimal("6.00"), 1, 1, 0),
        }

        checkin_undo(booking=family, by=staff)

    assert sold(showtime) == {"adult": (2, Decimal("20.00"), 0, 2, 2), "child": (1, Decimal("6.00"), 0, 1, 0)}


def test_a_refused_check_in_leaves_the_sales_as_they_were(customer, staff, showtime):
    booking = make_booking(user=customer, showtime=showtime, labels=["A1"])
    services.booking_cancel(booking=booking, by=staff)

    with time_machine.travel(showtime.starts_at, tick=False), pytest.raises(CheckInError):
        checkin_admit(booking=Booking.objects.get(pk=booking.pk), showtime=showtime, by=staff)

    assert sold(showtime) == {}


def test_the_api_and_the_admin_keep_them_too(client, customer, staff, showtime):
    response = api_client(customer).post(
        "/api/bookings", {"session": showtime.pk, "seats": seat_ids(showtime, "D1", "D2")}, format="json"
    )
    assert response.status_code == 201
    assert sold(showtime) == {"adult": (2, Decimal("20.00"), 0, 1, 1)}

    client.force_login(staff)
    response = client.post(
        reverse("admin:bookings_booking_changelist"),
        {"action": "cancel_bookings", "_selected_action": [response.json()["id"]], "post": "yes"},
    )

    assert response.status_code == 302
    assert sold(showtime) == {}


def test_the_recount_fills_in_what_was_written_around_the_services(customer, showtime):
    booking = make_booking(user=customer, showtime=showtime, labels=["A1"])
    # As a bulk load or a restore would: a ticket the services never saw.
    Ticket.objects.create(
        booking=booking,
        showtime=showtime,
        seat_id=seat_ids(showtime, "A2")[0],
        price=Decimal("10.00"),
        ticket_type_id=booking.tickets.get().ticket_type_id,
    )
    assert len(sales_drift()) == 1

    sales_recount()

    assert sold(showtime) == {"adult": (2, Decimal("20.00"), 0, 1, 1)}


def test_the_command_reports_and_mends_drift(customer, showtime, capsys):
    make_booking(user=customer, showtime=showtime, labels=["A1"])
    TicketTypeSales.objects.filter(showtime=showtime).update(tickets=5)

    with pytest.raises(SystemExit) as exit_info:
        call_command("recount_sales", "--check")
    assert exit_info.value.code == 1
    assert f"showtime {showtime.pk}" in capsys.readouterr().out

    call_command("recount_sales")

    assert "Recounted" in capsys.readouterr().out
    assert sold(showtime) == {"adult": (1, Decimal("10.00"), 0, 1, 1)}
    call_command("recount_sales", "--check")  # no drift: no exit


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_check_ins_of_one_showtime_are_all_counted(staff):
    # Without the showtime's lock, each recount misses the other's check-in.
    showtime = ShowtimeFactory(room=RoomFactory(rows=4, seats_per_row=10))
    bookings = [make_booking(user=UserFactory(), showtime=showtime, labels=[f"A{n}"]) for n in range(1, 9)]

    with time_machine.travel(showtime.starts_at, tick=False):
        results = race([lambda b=b: checkin_admit(booking=b, showtime=showtime, by=staff) for b in bookings])

    assert not [result for result in results if isinstance(result, Exception)]
    assert sold(showtime)["adult"][2] == len(bookings)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_bookings_of_one_showtime_are_all_counted():
    showtime = ShowtimeFactory(room=RoomFactory(rows=4, seats_per_row=10))
    seats = seat_ids(showtime, *(f"B{n}" for n in range(1, 11)))
    users = [UserFactory() for _ in seats]

    results = race(
        [
            lambda u=u, s=s: services.booking_create(user=u, showtime=showtime, seat_ids=[s])
            for u, s in zip(users, seats, strict=True)
        ]
    )

    assert all(isinstance(result, Booking) for result in results)
    assert sold(showtime) == {"adult": (10, Decimal("125.00"), 0, 10, 10)}
