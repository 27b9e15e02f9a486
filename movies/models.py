from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Length, Lower
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from movies.images import IMAGE_HELP, IMAGE_VALIDATORS, poster_path, still_path

FIRST_FILM_YEAR = 1888
# Characters. A TextField's max_length is only the forms' and the API's: the
# check constraint below is what holds.
MAX_DESCRIPTION = 5000


def validate_release_year(year: int) -> None:
    latest = timezone.now().year + 5
    if not FIRST_FILM_YEAR <= year <= latest:
        raise ValidationError(
            _("Enter a release year between %(first)s and %(latest)s.")
            % {"first": FIRST_FILM_YEAR, "latest": latest}
        )


def validate_https(url: str) -> None:
    if url and not url.lower().startswith("https://"):
        raise ValidationError(_("Link to the trailer with an https:// address."))


class GenreQuerySet(models.QuerySet):
    def in_use(self) -> GenreQuerySet:
        """Genres some movie is filed under: the ones worth filtering by."""
        return self.filter(movies__isnull=False).distinct()

    def named(self, value: str) -> GenreQuerySet:
        """The genre a `?genre=` names: by its slug or its name, in any case."""
        value = value.strip()
        return self.filter(models.Q(slug__iexact=value) | models.Q(name__iexact=value))


class Genre(models.Model):
    """A kind of movie staff file the catalog under ("Drama", "Animation")."""

    name = models.CharField(max_length=50)
    slug = models.SlugField(max_length=50, unique=True, help_text=_("Its name in the address, e.g. “drama”."))

    objects = GenreQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("genre")
        verbose_name_plural = _("genres")
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="movies_genre_name_not_empty"),
            # "Drama" and "drama" are one genre: `?genre=` finds it in any case.
            models.UniqueConstraint(
                Lower("name"),
                name="movies_genre_name_unique",
                violation_error_message=_("There is a genre of that name already."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MovieQuerySet(models.QuerySet):
    def search(self, text: str) -> MovieQuerySet:
        return self.filter(title__icontains=text.strip()) if text and text.strip() else self

    def of_genre(self, genre: str) -> MovieQuerySet:
        """Movies filed under the genre `genre` names (`GenreQuerySet.named`); all when blank."""
        if not genre.strip():
            return self
        return self.filter(genres__in=Genre.objects.named(genre)).distinct()


class Movie(models.Model):
    title = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[validate_release_year], help_text=_("Release year.")
    )
    rating = models.CharField(
        max_length=10, blank=True, help_text=_('Content/age rating, e.g. "PG-13" or "16".')
    )
    runtime_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    description = models.TextField(blank=True, max_length=MAX_DESCRIPTION)
    genres = models.ManyToManyField(Genre, blank=True, related_name="movies")
    poster = models.ImageField(
        upload_to=poster_path,
        blank=True,
        validators=IMAGE_VALIDATORS,
        width_field="poster_width",
        height_field="poster_height",
        help_text=IMAGE_HELP,
    )
    # Filled in from the poster: pages set each rendition's size without opening the file.
    poster_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    poster_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    trailer_url = models.URLField(
        _("trailer"),
        blank=True,
        max_length=500,
        validators=[validate_https],
        help_text=_(
            "An https:// link to the trailer on its own site (YouTube...): opened there, not embedded."
        ),
    )

    objects = MovieQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("movie")
        verbose_name_plural = _("movies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(runtime_minutes__gte=1, runtime_minutes__lte=600),
                name="movies_movie_runtime_range",
            ),
            models.CheckConstraint(
                condition=models.Q(year__isnull=True) | models.Q(year__gte=FIRST_FILM_YEAR),
                name="movies_movie_year_after_first_film",
            ),
            models.CheckConstraint(condition=~models.Q(title=""), name="movies_movie_title_not_empty"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("description"), MAX_DESCRIPTION),
                name="movies_movie_description_length",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})" if self.year else self.title

    @property
    def trailer_site(self) -> str:
        """Where the trailer plays ("youtube.com"), for the link to say so."""
        host = urlsplit(self.trailer_url).hostname or ""
        return host.removeprefix("www.")

    @property
    def runtime_display(self) -> str:
        hours, minutes = divmod(self.runtime_minutes, 60)
        return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


class Still(models.Model):
    """A picture from a movie, shown on its page after the poster."""

    movie = models.ForeignKey(Movie, on_delete=models.CASCADE, related_name="stills")
    image = models.ImageField(
        upload_to=still_path,
        validators=IMAGE_VALIDATORS,
        width_field="width",
        height_field="height",
        help_text=IMAGE_HELP,
    )
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    caption = models.CharField(
        max_length=200, blank=True, help_text=_("Read aloud to people who cannot see it.")
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text=_("Stills show in this order, lowest first.")
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("still")
        verbose_name_plural = _("stills")

    def __str__(self) -> str:
        return self.caption or _("Still of %(movie)s") % {"movie": self.movie}
