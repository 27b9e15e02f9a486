from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from bookings.services import booking_cancel
from bookings.tests.factories import make_booking
from movies.models import Movie
from movies.services import MovieError, movie_delete
from movies.tests.factories import MovieFactory
from theaters.models import Showtime
from theaters.tests.factories import ShowtimeFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("runtime", [0, 601])
def test_the_database_refuses_a_runtime_out_of_range(runtime):
    with pytest.raises(IntegrityError):
        Movie.objects.create(title="Too long", runtime_minutes=runtime)


def test_the_database_refuses_a_year_before_the_first_film():
    with pytest.raises(IntegrityError):
        Movie.objects.create(title="Too early", runtime_minutes=90, year=1887)


def test_the_database_refuses_an_empty_title():
    with pytest.raises(IntegrityError):
        Movie.objects.create(title="", runtime_minutes=90)


def test_validation_refuses_a_year_too_far_ahead():
    movie = MovieFactory.build(year=2999)

    with pytest.raises(ValidationError) as error:
        movie.full_clean()
    assert "year" in error.value.message_dict


def test_deleting_a_movie_takes_its_unbooked_showtimes_with_it():
    showtime = ShowtimeFactory()

    movie_delete(movie=showtime.movie)

    assert not Showtime.objects.exists()
    assert not Movie.objects.exists()


def test_it_refuses_to_delete_a_movie_with_bookings_even_cancelled_ones(customer):
    showtime = ShowtimeFactory()
    booking = make_booking(user=customer, showtime=showtime, labels=["A1"])
    booking_cancel(booking=booking, by=customer)

    with pytest.raises(MovieError) as error:
        movie_delete(movie=showtime.movie)

    assert error.value.code == "movie_has_bookings"
    assert Movie.objects.filter(pk=showtime.movie.pk).exists()
    assert Showtime.objects.filter(pk=showtime.pk).exists()
