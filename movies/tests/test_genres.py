"""Genres (staff-managed, many per movie) filter the catalog, what's on and the
API; cards show a movie's genres and synopsis; a trailer opens on its own site."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cinema.tests.clients import api_client
from movies.models import Genre, Movie
from movies.tests.factories import MovieFactory
from theaters.tests.factories import ShowtimeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    drama, comedy = (
        Genre.objects.create(name="Drama", slug="drama"),
        Genre.objects.create(name="Comedy", slug="comedy"),
    )
    Genre.objects.create(name="Western", slug="western")  # no movie: not worth a filter
    alien = MovieFactory(title="Alien", description="In space no one can hear you scream. " * 10)
    brazil = MovieFactory(title="Brazil")
    MovieFactory(title="Casablanca")
    alien.genres.set([drama])
    brazil.genres.set([drama, comedy])
    return {"drama": drama, "comedy": comedy}


def titles(html: str, candidates=("Alien", "Brazil", "Casablanca")) -> list[str]:
    return [title for title in candidates if f">{title}</a>" in html]


def test_the_catalog_filters_by_genre_and_offers_the_genres_in_use(client, catalog):
    everything = client.get(reverse("movies:movie-list")).content.decode()
    drama = client.get(reverse("movies:movie-list"), {"genre": "drama"}).content.decode()

    assert titles(everything) == ["Alien", "Brazil", "Casablanca"]
    assert titles(drama) == ["Alien", "Brazil"]
    assert 'href="?genre=comedy">Comedy</a>' in everything and "Western" not in everything
    assert 'class="nav-link active" href="?genre=drama" aria-current="page">Drama</a>' in drama
    assert "<title>Drama movies · Cinema</title>" in drama


def test_a_search_keeps_its_genre_and_the_genre_links_keep_the_search(client, catalog):
    html = client.get(reverse("movies:movie-list"), {"genre": "comedy", "q": "a"}).content.decode()

    assert titles(html) == ["Brazil"]
    assert '<input type="hidden" name="genre" value="comedy">' in html
    assert 'href="?q=a&amp;genre=drama">Drama</a>' in html


def test_an_unknown_genre_shows_every_movie(client, catalog):
    html = client.get(reverse("movies:movie-list"), {"genre": "opera"}).content.decode()

    assert titles(html) == ["Alien", "Brazil", "Casablanca"]
    assert 'class="nav-link active" href="?" aria-current="page">All genres</a>' in html


def test_whats_on_filters_by_genre_and_its_days_keep_it(client, catalog):
    tomorrow = timezone.localtime() + timedelta(days=1)
    for title in ("Alien", "Casablanca"):
        ShowtimeFactory(movie=Movie.objects.get(title=title), starts_at=tomorrow)
    day = tomorrow.date().isoformat()

    html = client.get(reverse("bookings:whats-on"), {"day": day, "genre": "Drama"}).content.decode()

    assert titles(html) == ["Alien"]
    assert f'href="/?day={day}&amp;genre=drama"' in html
    assert 'href="/?genre=drama"' in html  # today, in the same genre
    assert '<p class="movie-genres small text-body-secondary mb-1">Drama</p>' in html
    empty = client.get(reverse("bookings:whats-on"), {"day": day, "genre": "comedy"}).content.decode()
    assert "No Comedy movie is showing that day." in empty


def test_the_card_shows_a_short_synopsis(client, catalog):
    showtime = ShowtimeFactory(
        movie=Movie.objects.get(title="Alien"), starts_at=timezone.now() + timedelta(hours=2)
    )

    # Its own day: two hours after a late evening is tomorrow.
    day = timezone.localdate(showtime.starts_at).isoformat()
    html = client.get(reverse("bookings:whats-on"), {"day": day}).content.decode()

    synopsis = html.split('<p class="movie-synopsis small mb-3">')[1].split("</p>")[0]
    assert synopsis.startswith("In space no one can hear you scream.") and synopsis.endswith("…")
    assert len(synopsis.split()) == 25


def test_the_api_filters_by_a_genres_slug_or_name_in_any_case(catalog):
    for genre in ("comedy", "COMEDY", "Comedy"):
        movies = api_client().get("/api/movies", {"genre": genre}).json()["results"]
        assert [(m["title"], m["genres"]) for m in movies] == [("Brazil", ["Comedy", "Drama"])]
    assert api_client().get("/api/movies", {"genre": "opera"}).json()["results"] == []
    assert len(api_client().get("/api/movies", {"genre": ""}).json()["results"]) == 3


def test_the_api_refuses_a_genre_query_too_long_to_be_one():
    response = api_client().get("/api/movies", {"genre": "x" * 51})

    assert response.status_code == 400
    assert "genre" in response.json()


def test_staff_file_a_movie_under_genres_by_name_in_the_api(staff, catalog):
    body = {"title": "Heat", "runtime_minutes": 170, "genres": ["Drama", "Comedy"]}

    created = api_client(staff).post("/api/movies", body, format="json")
    unknown = api_client(staff).post("/api/movies", {**body, "genres": ["Opera"]}, format="json")

    assert created.status_code == 201
    assert sorted(created.json()["genres"]) == ["Comedy", "Drama"]
    assert set(Movie.objects.get(title="Heat").genres.values_list("slug", flat=True)) == {"drama", "comedy"}
    assert unknown.status_code == 400
    assert unknown.json() == {"genres": ["Object with name=Opera does not exist."]}


def test_a_genre_name_is_unique_whatever_its_case_in_the_admin(client, staff, catalog):
    client.force_login(staff)

    response = client.post(reverse("admin:movies_genre_add"), {"name": "DRAMA", "slug": "drama-2"})

    assert response.status_code == 200
    assert "There is a genre of that name already." in response.content.decode()
    assert Genre.objects.count() == 3


def test_the_trailer_opens_on_its_own_site(client):
    movie = MovieFactory(title="Alien", trailer_url="https://www.youtube.com/watch?v=LjLamj-b0I8")

    html = client.get(reverse("bookings:movie-detail", args=[movie.pk])).content.decode()

    assert (
        '<a class="btn btn-outline-dark btn-sm" href="https://www.youtube.com/watch?v=LjLamj-b0I8" '
        'rel="noopener noreferrer" target="_blank">Watch the trailer'
        '<span class="visually-hidden"> (opens youtube.com in a new tab)</span></a>'
    ) in html
    assert "<iframe" not in html


def test_a_trailer_link_must_be_https_in_the_admin_and_the_api(client, staff):
    client.force_login(staff)
    movie = MovieFactory()
    fields = {
        "title": "Alien",
        "runtime_minutes": "117",
        "trailer_url": "http://example.com/trailer",
        **{f"stills-{key}": value for key, value in {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0}.items()},
    }

    page = client.post(reverse("admin:movies_movie_change", args=[movie.pk]), fields)
    api = api_client(staff).patch(f"/api/movies/{movie.pk}", {"trailer_url": "http://x.org/t"}, format="json")

    assert "Link to the trailer with an https:// address." in page.content.decode()
    assert api.status_code == 400
    assert api.json() == {"trailer_url": ["Link to the trailer with an https:// address."]}
    assert Movie.objects.get(pk=movie.pk).trailer_url == ""


@pytest.mark.parametrize("name", ["Dra\x00ma", "x" * 51, 7], ids=["nul", "too long", "not text"])
def test_a_genre_name_that_cannot_be_one_is_a_400(staff, catalog, name):
    body = {"title": "Heat", "runtime_minutes": 170, "genres": [name]}

    response = api_client(staff).post("/api/movies", body, format="json")

    assert response.status_code == 400
    assert "genres" in response.json()
    assert not Movie.objects.filter(title="Heat").exists()
