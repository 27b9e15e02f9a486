from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from movies.models import Movie

MAX_QUERY_LENGTH = 100


@require_safe
def movie_list(request: HttpRequest) -> HttpResponse:
    # A NUL byte is not text to PostgreSQL: drop it rather than fail.
    query = request.GET.get("q", "").replace("\x00", "")[:MAX_QUERY_LENGTH].strip()
    movies = Movie.objects.search(query)
    return render(request, "movies/movie_list.html", {"movies": movies, "query": query})
