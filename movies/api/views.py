from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics

from cinema.api import IsStaffOrReadOnly
from cinema.api_docs import DELETED, errors
from movies import services
from movies.api.serializers import MovieSearchSerializer, MovieSerializer
from movies.models import Movie


@extend_schema_view(
    get=extend_schema(
        summary="List movies",
        parameters=[MovieSearchSerializer],
        responses={200: MovieSerializer(many=True), **errors(400, 404)},
    ),
    post=extend_schema(summary="Add a movie", responses={201: MovieSerializer, **errors(400, 401, 403)}),
)
class MovieListView(generics.ListCreateAPIView):
    serializer_class = MovieSerializer
    permission_classes = [IsStaffOrReadOnly]

    def get_queryset(self) -> QuerySet[Movie]:
        query = MovieSearchSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return (
            Movie.objects.search(query.validated_data.get("search", ""))
            .of_genre(query.validated_data.get("genre", ""))
            .prefetch_related("genres")
        )


_write = {200: MovieSerializer, **errors(400, 401, 403, 404)}


@extend_schema_view(
    put=extend_schema(summary="Replace a movie", responses=_write),
    patch=extend_schema(summary="Change a movie", responses=_write),
    delete=extend_schema(
        summary="Delete a movie and its sessions without bookings",
        responses={204: DELETED, **errors(401, 403, 404, 409)},
    ),
)
class MovieDetailView(generics.RetrieveUpdateDestroyAPIView):
    """Served as bookings.api.views.MovieDetailView, which reads the movie with its sessions."""

    queryset = Movie.objects.all()
    serializer_class = MovieSerializer
    permission_classes = [IsStaffOrReadOnly]

    def perform_destroy(self, movie: Movie) -> None:
        services.movie_delete(movie=movie)
