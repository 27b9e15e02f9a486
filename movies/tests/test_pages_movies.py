from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from movies.tests.factories import MovieFactory
from theaters.tests.factories import ShowtimeFactory

pytestmark = pytest.mark.django_db


def test_the_catalog_lists_movies_and_searches_titles(client):
    MovieFactory(title="The General")
    MovieFactory(title="Metropolis")

    everything = client.get(reverse("movies:movie-list")).content.decode()
    found = client.get(reverse("movies:movie-list"), {"q": "gener"}).content.decode()

    assert "The General" in everything and "Metropolis" in everything
    assert "The General" in found and "Metropolis" not in found


# A NUL byte in any URL is a 400 before the view (cinema/tests/test_bad_input_pages.py).
@pytest.mark.parametrize("query", ["🎬", "x" * 5000, "%_'\""])
def test_the_catalog_search_survives_odd_input(client, query):
    assert client.get(reverse("movies:movie-list"), {"q": query}).status_code == 200


def test_a_movie_page_shows_its_upcoming_showtimes_by_day(client, django_assert_num_queries):
    movie = MovieFactory(title="Sherlock Jr.", runtime_minutes=45, description="A projectionist dreams.")
    for days in (1, 1, 2, 3):
        ShowtimeFactory(movie=movie, starts_at=timezone.now() + timedelta(days=days, hours=days))
    ShowtimeFactory(movie=movie, starts_at=timezone.now() - timedelta(hours=1))

    # the movie, its genres, its stills, its upcoming showtimes with room and seats sold
    with django_assert_num_queries(4):
        response = client.get(reverse("bookings:movie-detail", args=[movie.pk]))

    html = response.content.decode()
    assert "A projectionist dreams." in html and "45 min" in html
    assert html.count("showtime-link") == 4
    assert html.count("<section") == 3


def test_an_unknown_movie_is_a_404(client):
    assert client.get(reverse("bookings:movie-detail", args=[999999])).status_code == 404
