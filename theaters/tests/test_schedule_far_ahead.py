"""A start near the end of the calendar is refused on `starts_at`, never a 500
(the end time derived from it overflowed): through the service, the API
(`/api/sessions`, `/api/sessions/{id}`) and the admin's form."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cinema.tests.clients import api_client
from movies.tests.factories import MovieFactory
from theaters import services
from theaters.models import Showtime
from theaters.services import MAX_YEARS_AHEAD, ScheduleError
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = pytest.mark.django_db

FAR_FUTURE = "9999-12-31T23:00:00+00:00"
TOO_FAR = f"A session can be scheduled at most {MAX_YEARS_AHEAD} years ahead."


def stored(showtime: Showtime) -> tuple:
    return Showtime.objects.values_list("movie_id", "room_id", "starts_at", "price").get(pk=showtime.pk)


def test_scheduling_in_year_9999_is_a_400_on_starts_at_not_a_crash(staff):
    movie, room = MovieFactory(), RoomFactory()

    response = api_client(staff).post(
        "/api/sessions",
        {"movie": movie.pk, "room": room.pk, "starts_at": FAR_FUTURE, "price": "9.00"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"starts_at": [TOO_FAR]}
    assert not Showtime.objects.exists()


@pytest.mark.parametrize("method", ["patch", "put"])
def test_moving_a_session_to_year_9999_is_a_400_and_leaves_it_where_it_was(staff, method):
    showtime = ShowtimeFactory()
    before = stored(showtime)

    response = getattr(api_client(staff), method)(
        f"/api/sessions/{showtime.pk}", {"starts_at": FAR_FUTURE}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"starts_at": [TOO_FAR]}
    assert stored(showtime) == before


def test_the_service_refuses_a_start_beyond_the_limit_and_accepts_one_within():
    movie, room = MovieFactory(runtime_minutes=100), RoomFactory()
    limit = timezone.now() + timedelta(days=365 * MAX_YEARS_AHEAD)

    with pytest.raises(ScheduleError) as refused:
        services.showtime_schedule(
            movie=movie, room=room, starts_at=limit + timedelta(days=1), price=Decimal("9.00")
        )
    showtime = services.showtime_schedule(
        movie=movie, room=room, starts_at=limit - timedelta(days=1), price=Decimal("9.00")
    )

    assert (refused.value.code, refused.value.field) == ("starts_too_far_ahead", "starts_at")
    assert not refused.value.is_conflict
    assert Showtime.objects.get().ends_at == showtime.starts_at + timedelta(minutes=100)


def test_the_admin_form_refuses_year_9999_with_a_form_error(client, staff):
    client.force_login(staff)

    response = client.post(
        reverse("admin:theaters_showtime_add"),
        {
            "movie": MovieFactory().pk,
            "room": RoomFactory().pk,
            "starts_at_0": "9999-12-31",
            "starts_at_1": "23:00:00",
            "price": "9.00",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"starts_at": [TOO_FAR]}
    assert not Showtime.objects.exists()
