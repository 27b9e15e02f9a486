from __future__ import annotations

from rest_framework import serializers

from movies.models import Genre, Movie


class GenreNameField(serializers.SlugRelatedField):
    """A genre by its name; text first (no NUL byte, the name's length), as a name field checks it."""

    as_text = serializers.CharField(max_length=Genre._meta.get_field("name").max_length)

    def to_internal_value(self, data):
        return super().to_internal_value(self.as_text.run_validation(data))


class MovieSerializer(serializers.ModelSerializer):
    genres = GenreNameField(
        slug_field="name",
        many=True,
        required=False,
        queryset=Genre.objects.all(),
        help_text="The names of its genres (staff manage the list in the admin).",
    )
    # Uploaded in the admin; its address here (absolute), or null.
    poster = serializers.ImageField(read_only=True, use_url=True)

    class Meta:
        model = Movie
        fields = [
            "id",
            "title",
            "year",
            "rating",
            "runtime_minutes",
            "description",
            "genres",
            "poster",
            "trailer_url",
        ]


class MovieSearchSerializer(serializers.Serializer):
    """The list's query: the checks of a CharField keep NUL bytes away from the database."""

    search = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Part of the title."
    )
    genre = serializers.CharField(
        required=False, allow_blank=True, max_length=50, help_text="A genre's name or slug, in any case."
    )
