from __future__ import annotations

from django.contrib import admin

from cinema.admin import ServiceAdmin
from movies.models import Movie
from movies.services import movie_delete


@admin.register(Movie)
class MovieAdmin(ServiceAdmin):
    list_display = ("title", "year", "rating", "runtime_minutes")
    list_filter = ("rating", "year")
    search_fields = ("title", "description")
    ordering = ("title",)

    def delete_model(self, request, obj: Movie) -> None:
        movie_delete(movie=obj)
