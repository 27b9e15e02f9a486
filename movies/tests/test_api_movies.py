from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings.services import booking_cancel
from bookings.tests.factories import make_booking
from cinema.tests.clients import api_client
from movies.models import Movie
from movies.tests.factories import MovieFactory
from theaters.models import Showtime
from theaters.tests.factories import ShowtimeFactory

pytestmark = pytest.mark.django_db

VALID = {"title": "Alien", "year": 1979, "rating": "R", "runtime_minutes": 117, "description": "In space."}
# What the API adds to a movie written without genres (a poster only comes from the admin).
UNFILED = {"genres": [], "poster": None, "trailer_url": ""}


def test_it_lists_movies_by_title_in_pages():
    for title in ["Casablanca", "Alien", "Brazil"]:
        MovieFactory(title=title)

    response = api_client().get("/api/movies", {"page_size": 2})

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 3
    assert [m["title"] for m in body["results"]] == ["Alien", "Brazil"]
    assert body["next"] is not None
    assert body["previous"] is None
    assert set(body["results"][0]) == {
        *(
            "id",
            "title",
            "year",
            "rating",
            "runtime_minutes",
            "description",
            "genres",
            "poster",
            "trailer_url",
        )
    }


def test_it_searches_titles():
    MovieFactory(title="The Matrix")
    MovieFactory(title="Heat")

    response = api_client().get("/api/movies", {"search": "matr"})

    assert [m["title"] for m in response.json()["results"]] == ["The Matrix"]


def test_the_list_makes_the_same_queries_whatever_the_page_size(django_assert_num_queries):
    MovieFactory.create_batch(30)

    # 1. count, 2. the page of movies, 3. their genres
    with django_assert_num_queries(3):
        response = api_client().get("/api/movies", {"page_size": 30})
    assert len(response.json()["results"]) == 30


def test_the_detail_adds_its_sessions_that_have_not_started_soonest_first(django_assert_num_queries):
    movie = MovieFactory()
    now = timezone.now()
    later = ShowtimeFactory(movie=movie, starts_at=now + timedelta(days=2))
    sooner = ShowtimeFactory(movie=movie, starts_at=now + timedelta(days=1))
    ShowtimeFactory(movie=movie, starts_at=now - timedelta(hours=1))  # started

    # 1. the movie, 2. its genres, 3. its sessions with their rooms and seats sold, 4. their prices
    with django_assert_num_queries(4):
        response = api_client().get(f"/api/movies/{movie.pk}")

    body = response.json()
    assert response.status_code == 200
    assert body["title"] == movie.title
    assert [s["id"] for s in body["sessions"]] == [sooner.pk, later.pk]
    assert body["sessions"][0]["price"] == "12.50"


def test_an_unknown_movie_is_404():
    assert api_client().get("/api/movies/999999").status_code == 404


def test_staff_add_a_movie(staff):
    response = api_client(staff).post("/api/movies", VALID, format="json")

    assert response.status_code == 201
    assert response.json() == {"id": Movie.objects.get().pk, **VALID, **UNFILED}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"runtime_minutes": 0}, "runtime_minutes"),
        ({"runtime_minutes": 601}, "runtime_minutes"),
        ({"year": 1887}, "year"),
        ({"year": timezone.now().year + 6}, "year"),
        ({"rating": "x" * 11}, "rating"),
    ],
)
def test_it_refuses_invalid_movies_field_by_field(staff, change, field):
    response = api_client(staff).post("/api/movies", {**VALID, **change}, format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_a_movie_may_have_no_year_and_no_rating(staff):
    response = api_client(staff).post("/api/movies", {**VALID, "year": None, "rating": ""}, format="json")

    assert response.status_code == 201
    movie = Movie.objects.get()
    assert (movie.title, movie.year, movie.rating) == ("Alien", None, "")
    assert response.json() == {"id": movie.pk, **VALID, **UNFILED, "year": None, "rating": ""}


def test_staff_replace_and_change_a_movie(staff):
    movie = MovieFactory()
    client = api_client(staff)

    replaced = client.put(f"/api/movies/{movie.pk}", VALID, format="json")
    changed = client.patch(f"/api/movies/{movie.pk}", {"rating": "PG"}, format="json")

    assert replaced.status_code == 200
    assert changed.status_code == 200
    assert changed.json() == {"id": movie.pk, **VALID, **UNFILED, "rating": "PG"}


def test_deleting_a_movie_takes_its_sessions_without_bookings(staff):
    showtime = ShowtimeFactory()

    response = api_client(staff).delete(f"/api/movies/{showtime.movie_id}")

    assert response.status_code == 204
    assert not Showtime.objects.exists()


def test_a_movie_with_booking_history_cannot_be_deleted(staff, customer):
    showtime = ShowtimeFactory()
    booking_cancel(booking=make_booking(user=customer, showtime=showtime, labels=["A1"]), by=customer)

    response = api_client(staff).delete(f"/api/movies/{showtime.movie_id}")

    assert response.status_code == 409
    assert response.json()["code"] == "movie_has_bookings"
    assert Movie.objects.filter(pk=showtime.movie_id).exists()
