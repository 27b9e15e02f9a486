from __future__ import annotations

from django.urls import path

from movies.api import views

app_name = "movies"

urlpatterns = [
    path("movies", views.MovieListView.as_view(), name="movie-list"),
]
