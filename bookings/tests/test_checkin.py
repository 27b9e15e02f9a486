"""Check-in at the door: the rules in the design's order, the window's edges, the
undo, the API's answers, and two scans of one ticket at once (PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from accounts.tests.factories import StaffFactory
from bookings.checkin import (
    CheckInError,
    DoorCount,
    booking_for_code,
    checkin_admit,
    checkin_undo,
    door_count,
)
from bookings.models import Booking, CheckIn
from bookings.services import booking_cancel
from bookings.tests.factories import make_booking
from cinema.tests.clients import api_client
from cinema.tests.races import race
from movies.tests.factories import MovieFactory
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = pytest.mark.django_db

START = datetime(2026, 12, 20, 19, 30, tzinfo=UTC)  # runs 100 minutes: ends 21:10
OPENS = START - timedelta(minutes=60)
ENDS = START + timedelta(minutes=100)


@pytest.fixture
def showtime():
    return ShowtimeFactory(
        movie=MovieFactory(title="Night Train", runtime_minutes=100),
        room=RoomFactory(name="Main hall", rows=8, seats_per_row=10),
        starts_at=START,
    )


@pytest.fixture
def booking(customer, showtime):
    with time_machine.travel(START - timedelta(days=2), tick=False):
        return make_booking(user=customer, showtime=showtime, labels=["F7", "F8", "F9"])


def admit(booking, showtime, by):
    return checkin_admit(booking=booking_for_code(booking.code), showtime=showtime, by=by)


def refusal(booking, showtime, by) -> CheckInError:
    with pytest.raises(CheckInError) as caught:
        admit(booking, showtime, by)
    return caught.value


@time_machine.travel(START, tick=False)
def test_it_admits_a_booking_once(booking, showtime, staff):
    checkin = admit(booking, showtime, staff)

    assert (checkin.booking_id, checkin.at, checkin.by) == (booking.pk, START, staff)
    assert Booking.objects.with_checked_in_at().get(pk=booking.pk).checked_in_at == START
    assert door_count(showtime) == DoorCount(admitted=3, sold=3)


@time_machine.travel(START, tick=False)
def test_the_code_ignores_case_spaces_and_dashes(booking):
    typed = " " + "-".join([booking.code[:4].lower(), booking.code[4:]]) + " "

    assert booking_for_code(typed) == booking
    assert booking_for_code("") is None
    assert booking_for_code("NOPE") is None


def test_a_cancelled_booking_is_refused_before_anything_else(booking, showtime, staff):
    other = ShowtimeFactory(starts_at=START + timedelta(days=3))
    booking_cancel(booking=booking, by=staff)

    # Another showtime, and a day early: still "cancelled" first.
    with time_machine.travel(START - timedelta(days=1), tick=False):
        error = refusal(booking, other, staff)

    assert error.code == "booking_cancelled"
    assert error.is_conflict


def test_another_showtime_comes_before_the_window(booking, staff):
    other = ShowtimeFactory(starts_at=START + timedelta(days=3))

    with time_machine.travel(START - timedelta(days=1), tick=False):
        error = refusal(booking, other, staff)

    assert error.code == "wrong_session"
    assert error.context() == {"session": booking.showtime_id}
    assert "Night Train" in error.message and "Main hall" in error.message


def test_the_window_comes_before_already_checked_in(booking, showtime, staff):
    with time_machine.travel(START, tick=False):
        admit(booking, showtime, staff)

    with time_machine.travel(ENDS + timedelta(minutes=5), tick=False):
        error = refusal(booking, showtime, staff)

    assert error.code == "checkin_not_open"


@pytest.mark.parametrize(
    ("moment", "admitted"),
    [
        (OPENS - timedelta(seconds=1), False),
        (OPENS, True),
        (ENDS - timedelta(seconds=1), True),
        (ENDS, False),
    ],
)
def test_the_door_is_open_from_an_hour_before_the_start_until_the_end(
    booking, showtime, staff, moment, admitted
):
    with time_machine.travel(moment, tick=False):
        if admitted:
            assert admit(booking, showtime, staff).at == moment
        else:
            error = refusal(booking, showtime, staff)
            assert error.code == "checkin_not_open"
            assert error.context() == {"opens_at": OPENS.isoformat()}
            assert CheckIn.objects.count() == 0


@time_machine.travel(START, tick=False)
def test_a_second_scan_says_when_and_by_whom(booking, showtime, staff, theater_staff):
    admit(booking, showtime, theater_staff)

    error = refusal(booking, showtime, staff)

    assert error.code == "already_checked_in"
    assert error.context()["checked_in_at"] == START.isoformat()
    assert "Terry Theater" in error.message
    assert CheckIn.objects.count() == 1


@time_machine.travel(START, tick=False)
def test_an_undo_is_kept_and_the_booking_can_be_admitted_again(booking, showtime, staff, theater_staff):
    first = admit(booking, showtime, staff)

    undone = checkin_undo(booking=booking, by=theater_staff)
    nothing = checkin_undo(booking=booking, by=theater_staff)
    again = admit(booking, showtime, staff)

    assert undone.pk == first.pk
    assert nothing is None
    first.refresh_from_db()
    assert (first.undone_at, first.undone_by) == (START, theater_staff)
    assert CheckIn.objects.filter(booking=booking).count() == 2
    assert again.undone_at is None


# --- the API (API.md "Check-in") ----------------------------------------------


@time_machine.travel(START, tick=False)
def test_the_api_admits_and_answers_with_the_seats(booking, showtime, staff):
    response = api_client(staff).post(
        "/api/checkins", {"code": booking.code.lower(), "session": showtime.pk}, format="json"
    )

    assert response.status_code == 201
    body = response.json()
    assert body == {
        "booking": booking.pk,
        "code": booking.code,
        "session": showtime.pk,
        "seats": [
            {"id": t.seat_id, "label": t.seat.label, "ticket_type": "adult", "price": "12.50"}
            for t in booking.ticket_list
        ],
        "checked_in_at": START.isoformat(),
        "checked_in_by": staff.pk,
        "checked_in_by_name": staff.name,
    }
    detail = api_client(staff).get(f"/api/bookings/{booking.pk}").json()
    assert detail["checked_in_at"] == START.isoformat()


@time_machine.travel(START, tick=False)
def test_the_api_refuses_in_order_with_context(booking, showtime, staff):
    client = api_client(staff)
    other = ShowtimeFactory(starts_at=START + timedelta(days=3))

    unknown = client.post("/api/checkins", {"code": "ZZZZ9999", "session": showtime.pk}, format="json")
    wrong = client.post("/api/checkins", {"code": booking.code, "session": other.pk}, format="json")
    client.post("/api/checkins", {"code": booking.code, "session": showtime.pk}, format="json")
    again = client.post("/api/checkins", {"code": booking.code, "session": showtime.pk}, format="json")

    assert unknown.status_code == 404
    assert (wrong.status_code, wrong.json()["code"], wrong.json()["session"]) == (
        409,
        "wrong_session",
        showtime.pk,
    )
    assert (again.status_code, again.json()["code"]) == (409, "already_checked_in")
    assert again.json()["checked_in_at"] == START.isoformat()
    assert (again.json()["checked_in_by"], again.json()["checked_in_by_name"]) == (staff.pk, staff.name)


def test_the_api_says_when_the_door_opens(booking, showtime, staff):
    with time_machine.travel(OPENS - timedelta(minutes=1), tick=False):
        response = api_client(staff).post(
            "/api/checkins", {"code": booking.code, "session": showtime.pk}, format="json"
        )

    assert response.status_code == 409
    assert response.json()["code"] == "checkin_not_open"
    assert response.json()["opens_at"] == OPENS.isoformat()


def test_the_api_refuses_a_cancelled_booking(booking, showtime, staff):
    booking_cancel(booking=booking, by=staff)

    with time_machine.travel(START, tick=False):
        response = api_client(staff).post(
            "/api/checkins", {"code": booking.code, "session": showtime.pk}, format="json"
        )

    assert (response.status_code, response.json()["code"]) == (409, "booking_cancelled")


@time_machine.travel(START, tick=False)
def test_the_api_undo_answers_204_then_404(booking, showtime, staff):
    client = api_client(staff)
    client.post("/api/checkins", {"code": booking.code, "session": showtime.pk}, format="json")

    undone = client.delete(f"/api/checkins/{booking.code.lower()}")
    again = client.delete(f"/api/checkins/{booking.code}")
    unknown = client.delete("/api/checkins/ZZZZ9999")

    assert (undone.status_code, again.status_code, unknown.status_code) == (204, 404, 404)
    assert CheckIn.objects.get().undone_by == staff
    assert client.get(f"/api/bookings/{booking.pk}").json()["checked_in_at"] is None


@time_machine.travel(START, tick=False)
def test_customers_cannot_check_in_even_their_own_booking(booking, showtime, customer):
    response = api_client(customer).post(
        "/api/checkins", {"code": booking.code, "session": showtime.pk}, format="json"
    )

    assert response.status_code == 403
    assert CheckIn.objects.count() == 0


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"code": "", "session": 1},
        {"code": "X" * 41, "session": 1},
        {"code": 5},
        {"code": "AB\x00", "session": 1},
    ],
)
def test_the_api_refuses_a_bad_body_with_400(staff, body):
    assert api_client(staff).post("/api/checkins", body, format="json").status_code == 400


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_scans_at_once_give_one_check_in(customer, staff):
    # Two doors: a flushed database (transactional tests) has no staff group, so two superusers.
    other_door = StaffFactory(email="door2@example.com")
    showtime = ShowtimeFactory(starts_at=datetime.now(UTC) + timedelta(minutes=20))
    booking = make_booking(user=customer, showtime=showtime, labels=["A1"])
    body = {"code": booking.code, "session": showtime.pk}

    def scan(user):
        return lambda: api_client(user).post("/api/checkins", body, format="json").status_code

    statuses = race([scan(staff), scan(other_door)])

    assert sorted(statuses) == [201, 409]
    assert CheckIn.objects.filter(booking=booking).count() == 1
