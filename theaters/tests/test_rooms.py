from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from bookings.tests.factories import make_booking
from theaters.models import Room, Seat
from theaters.services import ScheduleError, room_create, room_delete, room_rename
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = pytest.mark.django_db


def test_it_creates_the_seat_grid_lettered_from_the_screen():
    room = room_create(name="Studio", rows=3, seats_per_row=4)

    labels = [seat.label for seat in room.seats.order_by("row", "number")]
    assert labels == ["A1", "A2", "A3", "A4", "B1", "B2", "B3", "B4", "C1", "C2", "C3", "C4"]
    assert room.capacity == 12


@pytest.mark.parametrize(("rows", "per_row"), [(0, 5), (27, 5), (5, 0), (5, 51)])
def test_it_refuses_a_grid_out_of_bounds(rows, per_row):
    with pytest.raises(ScheduleError) as error:
        room_create(name="Odd", rows=rows, seats_per_row=per_row)

    assert error.value.code == "invalid_grid"
    assert not Room.objects.exists()


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"rows": 3}, "Give rows and seats per row, or a layout."),
        ({}, "Give rows and seats per row, or a layout."),
        ({"rows": 3, "layout": ["SS"]}, "Give either a layout or rows and seats per row, not both."),
        ({"seats_per_row": 3, "layout": ["SS"]}, "Give either a layout or rows and seats per row, not both."),
    ],
)
def test_it_takes_rows_and_seats_per_row_or_a_layout(given, message):
    with pytest.raises(ScheduleError) as error:
        room_create(name="Odd", **given)

    assert (error.value.field, error.value.message) == ("layout", message)
    assert not Room.objects.exists() and not Seat.objects.exists()


def test_it_refuses_a_room_name_taken_whatever_its_case():
    RoomFactory(name="Studio")

    with pytest.raises(ScheduleError) as error:
        room_create(name="studio ", rows=2, seats_per_row=2)
    assert error.value.code == "room_name_taken"

    other = RoomFactory(name="Salon")
    with pytest.raises(ScheduleError):
        room_rename(room=other, name="STUDIO")


def test_the_database_refuses_a_seat_twice_in_one_room():
    room = RoomFactory(rows=1, seats_per_row=1)

    with pytest.raises(IntegrityError):
        Seat.objects.create(room=room, row="A", number=1)


def test_the_database_refuses_a_seat_number_below_one():
    room = RoomFactory(rows=1, seats_per_row=1)

    with pytest.raises(IntegrityError):
        Seat.objects.create(room=room, row="B", number=0)


def test_it_refuses_to_delete_a_room_with_sessions():
    showtime = ShowtimeFactory()

    with pytest.raises(ScheduleError) as error:
        room_delete(room=showtime.room)

    assert error.value.code == "room_has_sessions"
    assert Room.objects.filter(pk=showtime.room.pk).exists()


def test_it_deletes_an_unused_room_with_its_seats():
    room = RoomFactory()

    room_delete(room=room)

    assert not Seat.objects.exists()


def test_a_booked_seat_cannot_be_deleted(customer):
    showtime = ShowtimeFactory()
    booking = make_booking(user=customer, showtime=showtime, labels=["A1"])

    with pytest.raises(ProtectedError):
        booking.tickets.get().seat.delete()


def test_the_database_refuses_a_room_name_taken_whatever_its_case():
    Room.objects.create(name="Studio")

    with pytest.raises(IntegrityError, match="theaters_room_name_ci_unique"), transaction.atomic():
        Room.objects.create(name="STUDIO")


def test_a_refused_rename_keeps_the_old_name_in_the_database():
    RoomFactory(name="Studio")
    salon = RoomFactory(name="Salon")

    with pytest.raises(ScheduleError) as error:
        room_rename(room=salon, name="sTuDiO")

    assert error.value.field == "name" and "“sTuDiO” already exists" in error.value.message
    assert Room.objects.get(pk=salon.pk).name == "Salon"
