from __future__ import annotations

from django.urls import path

from movies import views

app_name = "movies"

urlpatterns = [
    path("", views.movie_list, name="movie-list"),
]
