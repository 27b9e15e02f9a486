from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cinema.admin import ServiceAdmin
from movies.images import POSTER_WIDTHS, STILL_WIDTHS, picture
from movies.models import Genre, Movie, Still
from movies.services import movie_delete, movie_save, still_delete, still_save


def _thumbnail(image, width, height, widths) -> str:
    shown = picture(image, width, height, widths)
    if shown is None:
        return "-"
    return format_html('<img src="{}" width="{}" height="{}" alt="">', shown.src, shown.width, shown.height)


@admin.register(Genre)
class GenreAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


class StillInline(admin.TabularInline):
    model = Still
    extra = 1
    fields = ("preview", "image", "caption", "position")
    readonly_fields = ("preview",)

    @admin.display(description=_("Shown"))
    def preview(self, still: Still) -> str:
        return _thumbnail(still.image, still.width, still.height, STILL_WIDTHS[:1])


@admin.register(Movie)
class MovieAdmin(ServiceAdmin):
    list_display = ("title", "year", "rating", "runtime_minutes", "has_poster")
    list_filter = ("genres", "rating", "year")
    search_fields = ("title", "description")
    ordering = ("title",)
    filter_horizontal = ("genres",)
    fieldsets = (
        (None, {"fields": ("title", "year", "rating", "runtime_minutes", "description", "genres")}),
        (_("Pictures and trailer"), {"fields": ("poster_preview", "poster", "trailer_url")}),
    )
    readonly_fields = ("poster_preview",)
    # A bare "youtube.com/..." is read as https://, as the trailer link must be (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = (StillInline,)

    @admin.display(description=_("Poster"), boolean=True)
    def has_poster(self, movie: Movie) -> bool:
        return bool(movie.poster)

    @admin.display(description=_("Poster as shown"))
    def poster_preview(self, movie: Movie) -> str:
        return _thumbnail(movie.poster, movie.poster_width, movie.poster_height, POSTER_WIDTHS[:1])

    def save_model(self, request, obj: Movie, form, change: bool) -> None:
        movie_save(movie=obj)

    def save_formset(self, request, form, formset, change: bool) -> None:
        if formset.model is not Still:
            return super().save_formset(request, form, formset, change)
        for still in formset.save(commit=False):
            still_save(still=still)
        for still in formset.deleted_objects:
            still_delete(still=still)

    def delete_model(self, request, obj: Movie) -> None:
        movie_delete(movie=obj)
