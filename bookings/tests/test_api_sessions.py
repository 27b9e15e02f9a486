from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework.serializers import ModelSerializer
from rest_framework.test import APIClient

from bookings.api.serializers import SessionSerializer
from bookings.api.views import SessionDetailView
from bookings.models import BookingStatus, seats_sold
from bookings.services import booking_cancel
from bookings.tests.factories import make_booking
from cinema.tests.clients import api_client
from movies.tests.factories import MovieFactory
from theaters.models import Showtime, ShowtimeStatus
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = pytest.mark.django_db

SESSION_FIELDS = {
    "id",
    "movie",
    "movie_title",
    "room",
    "room_name",
    "starts_at",
    "ends_at",
    "price",
    "seats_total",
    "seats_available",
    "status",
    "sales_close_at",
    "prices",
    "currency",
}


def at(days: int, hour: int) -> datetime:
    """A local time `days` from today."""
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def ids(response) -> list[int]:
    return [s["id"] for s in response.json()["results"]]


def test_the_list_shows_sessions_not_started_by_start(customer):
    later = ShowtimeFactory(starts_at=timezone.now() + timedelta(days=2))
    sooner = ShowtimeFactory(starts_at=timezone.now() + timedelta(days=1))
    ShowtimeFactory(starts_at=timezone.now() - timedelta(minutes=5))
    make_booking(user=customer, showtime=sooner, labels=["A1", "A2"])

    response = api_client().get("/api/sessions")

    assert response.status_code == 200
    assert ids(response) == [sooner.pk, later.pk]
    first = response.json()["results"][0]
    assert set(first) == SESSION_FIELDS
    assert first["seats_total"] == 40
    assert first["seats_available"] == 38
    assert first["movie_title"] == sooner.movie.title
    assert first["ends_at"] == (sooner.starts_at + timedelta(minutes=120)).isoformat()
    assert first["starts_at"].endswith("+00:00")


def test_it_filters_by_movie_and_room():
    a = ShowtimeFactory()
    b = ShowtimeFactory()

    assert ids(api_client().get("/api/sessions", {"movie": a.movie_id})) == [a.pk]
    assert ids(api_client().get("/api/sessions", {"room": b.room_id})) == [b.pk]
    assert ids(api_client().get("/api/sessions", {"movie": 987654})) == []


def test_it_filters_by_local_day_including_sessions_already_started():
    room = RoomFactory()
    # Midnight: started already, and today whatever the time of the run.
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    started_today = ShowtimeFactory(room=room, starts_at=midnight)
    tomorrow = ShowtimeFactory(room=room, starts_at=at(1, 20))
    ShowtimeFactory(room=room, starts_at=at(2, 20))

    today = timezone.localdate()
    assert ids(api_client().get("/api/sessions", {"date": today.isoformat()})) == [started_today.pk]
    assert ids(api_client().get("/api/sessions", {"date": str(today + timedelta(days=1))})) == [tomorrow.pk]


def test_it_filters_from_and_to_by_dates_or_datetimes():
    room = RoomFactory()
    past = ShowtimeFactory(room=room, starts_at=timezone.now() - timedelta(days=3))
    one = ShowtimeFactory(room=room, starts_at=at(1, 12))
    two = ShowtimeFactory(room=room, starts_at=at(2, 12))
    three = ShowtimeFactory(room=room, starts_at=at(3, 12))
    day = timezone.localdate()

    from_past = api_client().get("/api/sessions", {"from": str(day - timedelta(days=5))})
    dates = api_client().get(
        "/api/sessions", {"from": str(day + timedelta(days=1)), "to": str(day + timedelta(days=2))}
    )
    datetimes = api_client().get(
        "/api/sessions", {"from": at(1, 13).isoformat(), "to": at(3, 12).isoformat()}
    )

    assert ids(from_past) == [past.pk, one.pk, two.pk, three.pk]
    assert ids(dates) == [one.pk, two.pk]
    assert ids(datetimes) == [two.pk, three.pk]


@pytest.mark.parametrize(
    "query",
    [
        {"movie": "abc"},
        {"room": "1.5"},
        {"movie": str(10**30)},
        {"date": "2026-13-01"},
        {"date": "9999-12-31"},
        {"from": "yesterday"},
        {"to": "2026-02-30T10:00"},
    ],
)
def test_a_bad_filter_value_is_400(query):
    response = api_client().get("/api/sessions", query)

    assert response.status_code == 400
    assert next(iter(query)) in response.json()


def test_the_list_makes_the_same_queries_whatever_the_page_size(customer, django_assert_num_queries):
    for _ in range(3):
        make_booking(user=customer, showtime=ShowtimeFactory(), labels=["A1"])
    ShowtimeFactory.create_batch(5)

    # 1. count, 2. the page with movies, rooms and seats sold, 3. their prices
    with django_assert_num_queries(3):
        response = api_client().get("/api/sessions")
    assert len(response.json()["results"]) == 8


def test_the_detail_maps_every_seat_with_its_availability(customer, django_assert_num_queries):
    showtime = ShowtimeFactory(room=RoomFactory(rows=15, seats_per_row=20))
    make_booking(user=customer, showtime=showtime, labels=["A2", "C5"])

    # Rendered the first time: 1. the session's row (the key of its rendered JSON),
    # 2. the session with movie and room, 3. the seats with whether each is taken; its
    # prices as the booking read them (cached for its prices_version, which it left)
    with django_assert_num_queries(3):
        response = api_client().get(f"/api/sessions/{showtime.pk}")

    body = response.json()
    assert response.status_code == 200
    assert set(body) == SESSION_FIELDS | {"seats"}
    assert len(body["seats"]) == 300
    assert body["seats_available"] == 298
    assert body["seats"][0] == {
        "id": body["seats"][0]["id"],
        "row": "A",
        "number": 1,
        "label": "A1",
        "column": 1,
        "kind": "standard",
        "blocked": False,
        "available": True,
        "held": False,
    }
    taken = [s["label"] for s in body["seats"] if not s["available"]]
    assert taken == ["A2", "C5"]


def test_the_seat_map_comes_from_the_cache_until_a_booking_changes_it(
    customer, other_customer, django_assert_num_queries
):
    showtime = ShowtimeFactory(room=RoomFactory(rows=3, seats_per_row=4))
    first = api_client().get(f"/api/sessions/{showtime.pk}").json()

    # the session's row: the JSON rendered for it (and its seats_version) is served again
    with django_assert_num_queries(1):
        cached = api_client().get(f"/api/sessions/{showtime.pk}").json()
    booking = make_booking(user=customer, showtime=showtime, labels=["B2"])
    booked = api_client().get(f"/api/sessions/{showtime.pk}").json()
    booking_cancel(booking=booking, by=customer)
    cancelled = api_client().get(f"/api/sessions/{showtime.pk}").json()

    assert cached == first and first["seats_available"] == 12
    assert booked["seats_available"] == 11
    assert [s["label"] for s in booked["seats"] if not s["available"]] == ["B2"]
    assert cancelled["seats_available"] == 12
    assert all(s["available"] for s in cancelled["seats"])


def test_the_detail_answers_304_to_a_client_that_has_it_until_the_seats_change(customer):
    showtime = ShowtimeFactory(room=RoomFactory(rows=3, seats_per_row=4))
    first = api_client().get(f"/api/sessions/{showtime.pk}")

    again = api_client().get(f"/api/sessions/{showtime.pk}", HTTP_IF_NONE_MATCH=first["ETag"])
    make_booking(user=customer, showtime=showtime, labels=["B2"])
    after = api_client().get(f"/api/sessions/{showtime.pk}", HTTP_IF_NONE_MATCH=first["ETag"])

    assert first["Content-Type"] == "application/json"
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == first["ETag"]
    assert after.status_code == 200 and after["ETag"] != first["ETag"]
    assert after.json()["seats_available"] == 11


def test_a_rendered_session_is_served_before_drf_only_to_a_request_without_credentials(
    customer, django_assert_num_queries
):
    showtime = ShowtimeFactory(room=RoomFactory(rows=3, seats_per_row=4))
    through_drf = api_client(customer).get(f"/api/sessions/{showtime.pk}")

    # the session's row: DRF's dispatch is skipped (it would fail here), its answer is not
    with (
        django_assert_num_queries(1),
        mock.patch.object(SessionDetailView, "initial", side_effect=AssertionError),
    ):
        served = api_client().get(f"/api/sessions/{showtime.pk}")
    bad_token = APIClient(HTTP_AUTHORIZATION="Bearer not-a-token").get(f"/api/sessions/{showtime.pk}")

    assert served.content == through_drf.content
    for header in ("Content-Type", "ETag", "Allow"):
        assert served[header] == through_drf[header], header
    assert bad_token.status_code == 401  # credentials always go through DRF's authentication


def test_a_staff_edit_of_the_session_shows_at_once(staff):
    showtime = ShowtimeFactory(starts_at=at(3, 18))
    before = api_client().get(f"/api/sessions/{showtime.pk}").json()

    api_client(staff).patch(
        f"/api/sessions/{showtime.pk}", {"starts_at": at(3, 20).isoformat()}, format="json"
    )
    showtime.movie.title = "Renamed"
    showtime.movie.save()
    after = api_client().get(f"/api/sessions/{showtime.pk}").json()

    assert before["starts_at"] != after["starts_at"] == timezone.localtime(at(3, 20)).isoformat()
    assert after["movie_title"] == "Renamed"


def test_an_unknown_session_is_404():
    assert api_client().get("/api/sessions/123456").status_code == 404


def test_staff_schedule_a_session(staff):
    movie, room = MovieFactory(runtime_minutes=90), RoomFactory()
    starts_at = at(3, 18)

    response = api_client(staff).post(
        "/api/sessions",
        {"movie": movie.pk, "room": room.pk, "starts_at": starts_at.isoformat(), "price": "9.5"},
        format="json",
    )

    body = response.json()
    assert response.status_code == 201
    assert body["price"] == "9.50"
    assert body["ends_at"] == (starts_at + timedelta(minutes=90)).isoformat()
    assert body["seats_available"] == room.capacity
    assert body["status"] == "scheduled"


def test_it_refuses_a_session_in_the_past(staff):
    response = api_client(staff).post(
        "/api/sessions",
        {
            "movie": MovieFactory().pk,
            "room": RoomFactory().pk,
            "starts_at": (timezone.now() - timedelta(hours=1)).isoformat(),
            "price": "10.00",
        },
        format="json",
    )

    assert response.status_code == 400
    assert "starts_at" in response.json()


def test_it_refuses_a_session_inside_the_cleaning_buffer_of_another(staff):
    existing = ShowtimeFactory(starts_at=at(3, 18))  # 120 min: the room is free at 20:00 + cleaning
    clash = existing.ends_at + timedelta(minutes=settings.CLEANING_MINUTES - 1)

    response = api_client(staff).post(
        "/api/sessions",
        {"movie": existing.movie_id, "room": existing.room_id, "starts_at": clash.isoformat(), "price": "10"},
        format="json",
    )

    assert response.status_code == 400
    assert "starts_at" in response.json()


@pytest.mark.parametrize("field", ["movie", "room"])
def test_it_refuses_an_unknown_movie_or_room(staff, field):
    body = {
        "movie": MovieFactory().pk,
        "room": RoomFactory().pk,
        "starts_at": at(3, 18).isoformat(),
        "price": "1",
    }

    response = api_client(staff).post("/api/sessions", {**body, field: 999999}, format="json")

    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("method", ["put", "patch"])
def test_cancelling_a_session_cancels_its_bookings(staff, customer, method):
    showtime = ShowtimeFactory()
    booking = make_booking(user=customer, showtime=showtime, labels=["A1"])

    response = getattr(api_client(staff), method)(
        f"/api/sessions/{showtime.pk}", {"status": "cancelled"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert booking.cancelled_by == staff


def test_staff_reschedule_a_session(staff):
    showtime = ShowtimeFactory()
    new_start = at(4, 10)

    response = api_client(staff).patch(
        f"/api/sessions/{showtime.pk}", {"starts_at": new_start.isoformat(), "price": "8.00"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["starts_at"] == new_start.isoformat()
    assert response.json()["price"] == "8.00"


def test_a_move_into_the_past_is_400(staff):
    showtime = ShowtimeFactory()
    past = timezone.now() - timedelta(days=1)

    response = api_client(staff).patch(
        f"/api/sessions/{showtime.pk}", {"starts_at": past.isoformat()}, format="json"
    )

    assert response.status_code == 400
    assert "starts_at" in response.json()


def test_a_booked_session_cannot_move_to_another_room(staff, customer):
    showtime = ShowtimeFactory()
    make_booking(user=customer, showtime=showtime, labels=["A1"])

    response = api_client(staff).patch(
        f"/api/sessions/{showtime.pk}", {"room": RoomFactory().pk}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "session_has_bookings"


def test_a_cancelled_session_cannot_be_changed_or_revived(staff):
    showtime = ShowtimeFactory(status=ShowtimeStatus.CANCELLED)

    revived = api_client(staff).patch(f"/api/sessions/{showtime.pk}", {"status": "scheduled"}, format="json")
    repriced = api_client(staff).patch(f"/api/sessions/{showtime.pk}", {"price": "1.00"}, format="json")

    assert revived.status_code == repriced.status_code == 409
    assert revived.json()["code"] == "session_cancelled"


def test_staff_delete_a_session_without_bookings(staff):
    showtime = ShowtimeFactory()

    assert api_client(staff).delete(f"/api/sessions/{showtime.pk}").status_code == 204
    assert not Showtime.objects.exists()


def test_a_session_with_bookings_cannot_be_deleted(staff, customer):
    showtime = ShowtimeFactory()
    make_booking(user=customer, showtime=showtime, labels=["A1"])

    response = api_client(staff).delete(f"/api/sessions/{showtime.pk}")

    assert response.status_code == 409
    assert response.json()["code"] == "session_has_bookings"


@pytest.mark.parametrize("price", ["12.5", "0", "7", "99999.99"])
def test_the_written_out_session_matches_what_its_declared_fields_give(customer, price, settings):
    settings.TIME_ZONE = "America/Los_Angeles"
    showtime = ShowtimeFactory(price=Decimal(price))
    make_booking(user=customer, showtime=showtime, labels=["A1"])
    showtime = (
        Showtime.objects.annotate(seats_sold=seats_sold()).select_related("movie", "room").get(pk=showtime.pk)
    )
    serializer = SessionSerializer(showtime)

    assert serializer.data == ModelSerializer.to_representation(serializer, showtime)
