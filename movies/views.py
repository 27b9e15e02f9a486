from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from movies.models import Genre, Movie

MAX_QUERY_LENGTH = 100


@require_safe
def movie_list(request: HttpRequest) -> HttpResponse:
    # A NUL byte is not text to PostgreSQL: drop it rather than fail.
    query = request.GET.get("q", "").replace("\x00", "")[:MAX_QUERY_LENGTH].strip()
    genres = list(Genre.objects.in_use())
    genre = chosen_genre(request)
    movies = Movie.objects.search(query).prefetch_related("genres")
    if genre is not None:
        movies = movies.filter(genres=genre)
    context = {"movies": movies, "query": query, "genres": genres, "genre": genre}
    return render(request, "movies/movie_list.html", context)


def chosen_genre(request: HttpRequest) -> Genre | None:
    """The genre `?genre=` names; None when it names none (the page then shows every genre)."""
    value = request.GET.get("genre", "").replace("\x00", "")[:MAX_QUERY_LENGTH]
    return Genre.objects.named(value).first() if value.strip() else None
