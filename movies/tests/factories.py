from __future__ import annotations

import factory

from movies.models import Movie


class MovieFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Movie

    title = factory.Sequence(lambda n: f"Movie {n}")
    year = 2026
    rating = "PG-13"
    runtime_minutes = 120
    description = "A film."
