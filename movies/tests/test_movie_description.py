"""A movie's description holds at most 5,000 characters: in the database (a check
constraint, since a TextField's max_length is not enforced there), the API and the admin."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from cinema.tests.clients import api_client
from movies.models import MAX_DESCRIPTION, Movie
from movies.tests.factories import MovieFactory

pytestmark = pytest.mark.django_db

VALID = {"title": "Alien", "year": 1979, "rating": "R", "runtime_minutes": 117}
TOO_LONG = "é" * 5001  # characters, not bytes, are counted
API_MESSAGE = "Ensure this field has no more than 5000 characters."


def test_the_limit_is_5000_characters():
    assert MAX_DESCRIPTION == 5000


def test_the_database_refuses_a_longer_description_however_it_is_written():
    movie = MovieFactory()

    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        Movie.objects.filter(pk=movie.pk).update(description=TOO_LONG)

    assert "movies_movie_description_length" in str(refused.value)
    assert Movie.objects.get(pk=movie.pk).description == "A film."


def test_the_constraint_is_in_the_database_schema():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Movie._meta.db_table)

    assert constraints["movies_movie_description_length"]["check"]


def test_the_database_takes_exactly_5000_characters():
    movie = MovieFactory(description="é" * 5000)

    assert len(Movie.objects.get(pk=movie.pk).description) == 5000


def test_the_api_refuses_a_longer_description_with_a_field_error(staff):
    response = api_client(staff).post("/api/movies", {**VALID, "description": TOO_LONG}, format="json")

    assert response.status_code == 400
    assert response.json() == {"description": [API_MESSAGE]}
    assert not Movie.objects.exists()


def test_the_api_refuses_a_longer_description_on_a_change(staff):
    movie = MovieFactory()

    response = api_client(staff).patch(f"/api/movies/{movie.pk}", {"description": TOO_LONG}, format="json")

    assert response.status_code == 400
    assert response.json() == {"description": [API_MESSAGE]}
    assert Movie.objects.get(pk=movie.pk).description == "A film."


def test_the_api_takes_exactly_5000_characters(staff):
    response = api_client(staff).post("/api/movies", {**VALID, "description": "é" * 5000}, format="json")

    assert response.status_code == 201
    assert len(Movie.objects.get().description) == 5000


def test_the_admin_shows_a_form_error_and_saves_nothing(client, staff):
    client.force_login(staff)

    response = client.post(reverse("admin:movies_movie_add"), {**VALID, "description": TOO_LONG})

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors == {"description": ["Ensure this value has at most 5000 characters (it has 5001)."]}
    assert not Movie.objects.exists()


def test_the_admin_textarea_carries_the_limit(client, staff):
    client.force_login(staff)

    html = client.get(reverse("admin:movies_movie_add")).content.decode()

    assert 'maxlength="5000"' in html
