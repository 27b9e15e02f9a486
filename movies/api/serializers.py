from __future__ import annotations

from rest_framework import serializers

from movies.models import Movie


class MovieSerializer(serializers.ModelSerializer):
    class Meta:
        model = Movie
        fields = ["id", "title", "year", "rating", "runtime_minutes", "description"]


class MovieSearchSerializer(serializers.Serializer):
    """The list's query: the checks of a CharField keep NUL bytes away from the database."""

    search = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Part of the title."
    )
