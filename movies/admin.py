from __future__ import annotations

from django.contrib import admin, messages

from movies.models import Movie
from movies.services import MovieError, movie_delete


@admin.register(Movie)
class MovieAdmin(admin.ModelAdmin):
    list_display = ("title", "year", "rating", "runtime_minutes")
    list_filter = ("rating", "year")
    search_fields = ("title", "description")
    ordering = ("title",)

    def delete_model(self, request, obj: Movie) -> None:
        try:
            movie_delete(movie=obj)
        except MovieError as error:
            self.message_user(request, error.message, messages.ERROR)

    def delete_queryset(self, request, queryset) -> None:
        for movie in queryset:
            self.delete_model(request, movie)
