"""A booked showtime (one with any booking) keeps its movie and its start; its
price may still change. Through the service, the API and the admin's form."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.services import booking_cancel
from bookings.tests.factories import make_booking
from cinema.tests.clients import api_client
from movies.tests.factories import MovieFactory
from theaters import services
from theaters.models import Showtime
from theaters.services import ScheduleError
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(customer) -> Showtime:
    # A whole minute, as the admin's form shows it: re-sending the form is no move.
    starts_at = (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    showtime = ShowtimeFactory(starts_at=starts_at)
    make_booking(user=customer, showtime=showtime, labels=["A1"])
    return showtime


def stored(showtime: Showtime) -> tuple:
    return Showtime.objects.values_list("movie_id", "room_id", "starts_at", "price").get(pk=showtime.pk)


def test_the_service_refuses_another_movie_for_a_booked_showtime(booked):
    before = stored(booked)

    with pytest.raises(ScheduleError) as refused:
        services.showtime_update(showtime=booked, movie=MovieFactory())

    assert (refused.value.code, refused.value.field) == ("session_has_bookings", "movie")
    assert refused.value.is_conflict
    assert stored(booked) == before


def test_the_service_refuses_to_move_the_start_of_a_booked_showtime(booked):
    before = stored(booked)

    with pytest.raises(ScheduleError) as refused:
        services.showtime_update(showtime=booked, starts_at=booked.starts_at + timedelta(hours=2))

    assert (refused.value.code, refused.value.field) == ("session_has_bookings", "starts_at")
    assert stored(booked) == before


def test_a_cancelled_booking_still_keeps_the_showtime_in_place(customer):
    showtime = ShowtimeFactory()
    booking_cancel(booking=make_booking(user=customer, showtime=showtime, labels=["A1"]), by=customer)

    with pytest.raises(ScheduleError) as refused:
        services.showtime_update(showtime=showtime, movie=MovieFactory())

    assert refused.value.code == "session_has_bookings"


def test_a_booked_showtime_may_still_change_its_price(booked):
    services.showtime_update(showtime=booked, price=Decimal("4.50"))

    assert Showtime.objects.get(pk=booked.pk).price == Decimal("4.50")


def test_the_same_movie_and_start_given_again_are_no_change(booked):
    services.showtime_update(
        showtime=booked,
        movie=booked.movie,
        room=booked.room,
        starts_at=booked.starts_at,
        price=Decimal("7.00"),
    )

    assert stored(booked) == (booked.movie_id, booked.room_id, booked.starts_at, Decimal("7.00"))


def test_an_unbooked_showtime_still_changes_movie_and_start():
    showtime = ShowtimeFactory()
    movie = MovieFactory(runtime_minutes=80)
    later = showtime.starts_at + timedelta(hours=3)

    services.showtime_update(showtime=showtime, movie=movie, starts_at=later)

    showtime.refresh_from_db()
    assert (showtime.movie_id, showtime.starts_at, showtime.ends_at) == (
        movie.pk,
        later,
        later + timedelta(minutes=80),
    )


@pytest.mark.parametrize(
    "change",
    [
        lambda showtime: {"movie": MovieFactory().pk},
        lambda showtime: {"starts_at": (showtime.starts_at + timedelta(hours=2)).isoformat()},
    ],
    ids=["movie", "start"],
)
def test_the_api_answers_409_session_has_bookings_and_changes_nothing(staff, booked, change):
    before = stored(booked)

    response = api_client(staff).patch(f"/api/sessions/{booked.pk}", change(booked), format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "session_has_bookings"
    assert "bookings" in response.json()["detail"]
    assert stored(booked) == before


def test_the_api_still_reprices_a_booked_session(staff, booked):
    response = api_client(staff).patch(f"/api/sessions/{booked.pk}", {"price": "6.00"}, format="json")

    assert response.status_code == 200
    assert response.json()["price"] == "6.00"
    assert stored(booked)[3] == Decimal("6.00")


def admin_change(showtime: Showtime, **changes) -> dict:
    local = timezone.localtime(changes.get("starts_at", showtime.starts_at))
    return {
        "movie": changes.get("movie", showtime.movie).pk,
        "room": changes.get("room", showtime.room).pk,
        "starts_at_0": local.strftime("%Y-%m-%d"),
        "starts_at_1": local.strftime("%H:%M:%S"),
        "price": changes.get("price", "12.50"),
    }


@pytest.mark.parametrize(
    ("field", "change"),
    [
        ("movie", lambda showtime: {"movie": MovieFactory()}),
        ("starts_at", lambda showtime: {"starts_at": showtime.starts_at + timedelta(hours=2)}),
        ("room", lambda showtime: {"room": RoomFactory()}),
    ],
    ids=["movie", "start", "room"],
)
def test_the_admin_form_shows_the_refusal_under_the_field(client, staff, booked, field, change):
    before = stored(booked)
    client.force_login(staff)

    response = client.post(
        reverse("admin:theaters_showtime_change", args=[booked.pk]), admin_change(booked, **change(booked))
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == [field]
    assert "has bookings" in errors[field][0]
    assert "has bookings" in response.content.decode()
    assert stored(booked) == before


def test_the_admin_form_still_reprices_a_booked_showtime(client, staff, booked):
    client.force_login(staff)

    response = client.post(
        reverse("admin:theaters_showtime_change", args=[booked.pk]), admin_change(booked, price="5.00")
    )

    assert response.status_code == 302
    assert stored(booked)[3] == Decimal("5.00")
