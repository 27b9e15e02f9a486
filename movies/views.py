from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from movies.models import Movie

MAX_QUERY_LENGTH = 100


@require_safe
def movie_list(request: HttpRequest) -> HttpResponse:
    # A NUL byte is not text to PostgreSQL: drop it rather than fail.
    query = request.GET.get("q", "").replace("\x00", "")[:MAX_QUERY_LENGTH].strip()
    movies = Movie.objects.search(query)
    return render(request, "movies/movie_list.html", {"movies": movies, "query": query})


@require_safe
def movie_detail(request: HttpRequest, pk: int) -> HttpResponse:
    movie = get_object_or_404(Movie, pk=pk)
    # Through the reverse relation: movies must not import theaters.
    showtimes = movie.showtimes.upcoming().select_related("room").with_seats_sold().order_by("starts_at")
    return render(request, "movies/movie_detail.html", {"movie": movie, "showtimes": showtimes})
