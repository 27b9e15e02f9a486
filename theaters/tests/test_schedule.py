from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from bookings.tests.factories import make_booking
from movies.tests.factories import MovieFactory
from theaters.models import Showtime, ShowtimeStatus
from theaters.services import ScheduleError, showtime_delete, showtime_schedule, showtime_update
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tomorrow_evening():
    return (timezone.now() + timedelta(days=1)).replace(hour=19, minute=0, second=0, microsecond=0)


def test_it_derives_the_end_and_the_cleaning_from_the_movie(tomorrow_evening, settings):
    settings.CLEANING_MINUTES = 15
    movie = MovieFactory(runtime_minutes=100)

    showtime = showtime_schedule(
        movie=movie, room=RoomFactory(), starts_at=tomorrow_evening, price=Decimal("9")
    )

    assert showtime.ends_at == tomorrow_evening + timedelta(minutes=100)
    assert showtime.room_free_at == tomorrow_evening + timedelta(minutes=115)


def test_it_refuses_a_start_in_the_past():
    with pytest.raises(ScheduleError) as error:
        showtime_schedule(
            movie=MovieFactory(),
            room=RoomFactory(),
            starts_at=timezone.now() - timedelta(minutes=1),
            price=Decimal("9"),
        )
    assert error.value.code == "starts_in_past"


def test_it_refuses_an_overlap_inside_the_cleaning_time_and_names_the_other_showtime(tomorrow_evening):
    first = ShowtimeFactory(starts_at=tomorrow_evening, movie__runtime_minutes=120, movie__title="Dune")

    with pytest.raises(ScheduleError) as error:
        # Starts 10 minutes after the end: inside the 15 cleaning minutes.
        showtime_schedule(
            movie=MovieFactory(),
            room=first.room,
            starts_at=first.ends_at + timedelta(minutes=10),
            price=Decimal("9"),
        )

    assert error.value.code == "showtime_overlap"
    assert "Dune" in error.value.message


def test_it_accepts_a_showtime_once_the_room_is_clean(tomorrow_evening):
    first = ShowtimeFactory(starts_at=tomorrow_evening)

    second = showtime_schedule(
        movie=MovieFactory(), room=first.room, starts_at=first.room_free_at, price=Decimal("9")
    )

    assert second.pk


def test_a_cancelled_showtime_frees_its_slot(tomorrow_evening):
    first = ShowtimeFactory(starts_at=tomorrow_evening, status=ShowtimeStatus.CANCELLED)

    again = showtime_schedule(
        movie=first.movie, room=first.room, starts_at=tomorrow_evening, price=Decimal("9")
    )

    assert again.pk != first.pk


def test_another_room_is_not_an_overlap(tomorrow_evening):
    first = ShowtimeFactory(starts_at=tomorrow_evening)

    other = showtime_schedule(
        movie=first.movie, room=RoomFactory(), starts_at=tomorrow_evening, price=Decimal("9")
    )

    assert other.pk


@pytest.mark.postgres
def test_the_database_refuses_overlapping_scheduled_showtimes(tomorrow_evening):
    first = ShowtimeFactory(starts_at=tomorrow_evening)
    clash = Showtime(
        movie=first.movie, room=first.room, starts_at=tomorrow_evening + timedelta(minutes=30), price=1
    )
    clash.set_times()

    with pytest.raises(IntegrityError), transaction.atomic():
        clash.save()  # straight to the database, no service check
    assert connection.vendor == "postgresql"


def test_rescheduling_checks_the_new_slot(tomorrow_evening):
    first = ShowtimeFactory(starts_at=tomorrow_evening)
    second = ShowtimeFactory(room=first.room, starts_at=first.room_free_at + timedelta(hours=1))

    with pytest.raises(ScheduleError) as error:
        showtime_update(showtime=second, starts_at=tomorrow_evening + timedelta(minutes=5))
    assert error.value.code == "showtime_overlap"

    moved = showtime_update(showtime=second, starts_at=second.starts_at + timedelta(hours=1))
    assert moved.starts_at == second.starts_at + timedelta(hours=1)


def test_rescheduling_keeps_its_own_slot_without_clashing_with_itself(tomorrow_evening):
    showtime = ShowtimeFactory(starts_at=tomorrow_evening)

    updated = showtime_update(showtime=showtime, starts_at=tomorrow_evening + timedelta(minutes=10))

    assert updated.starts_at == tomorrow_evening + timedelta(minutes=10)


def test_it_refuses_to_move_a_booked_showtime_to_another_room(customer, tomorrow_evening):
    showtime = ShowtimeFactory(starts_at=tomorrow_evening)
    make_booking(user=customer, showtime=showtime, labels=["A1"])

    with pytest.raises(ScheduleError) as error:
        showtime_update(showtime=showtime, room=RoomFactory())

    assert error.value.code == "session_has_bookings"
    showtime.refresh_from_db()
    assert showtime.room_id == showtime.room.pk


def test_it_refuses_to_delete_a_showtime_with_bookings(customer):
    showtime = ShowtimeFactory()
    make_booking(user=customer, showtime=showtime, labels=["A1"])

    with pytest.raises(ScheduleError) as error:
        showtime_delete(showtime=showtime)

    assert error.value.code == "session_has_bookings"
    assert Showtime.objects.filter(pk=showtime.pk).exists()


@pytest.mark.parametrize("price", [Decimal("-0.01")])
def test_the_database_refuses_a_negative_price(price):
    showtime = ShowtimeFactory.build(movie=MovieFactory(), room=RoomFactory(), price=price)
    showtime.set_times()

    with pytest.raises(IntegrityError):
        showtime.save()
