from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

FIRST_FILM_YEAR = 1888
# Characters. A TextField's max_length is only the forms' and the API's: the
# check constraint below is what holds.
MAX_DESCRIPTION = 5000


def validate_release_year(year: int) -> None:
    latest = timezone.now().year + 5
    if not FIRST_FILM_YEAR <= year <= latest:
        raise ValidationError(f"Enter a release year between {FIRST_FILM_YEAR} and {latest}.")


class MovieQuerySet(models.QuerySet):
    def search(self, text: str) -> MovieQuerySet:
        return self.filter(title__icontains=text.strip()) if text and text.strip() else self


class Movie(models.Model):
    title = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[validate_release_year], help_text="Release year."
    )
    rating = models.CharField(
        max_length=10, blank=True, help_text='Content/age rating, e.g. "PG-13" or "16".'
    )
    runtime_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    description = models.TextField(blank=True, max_length=MAX_DESCRIPTION)

    objects = MovieQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
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
    def runtime_display(self) -> str:
        hours, minutes = divmod(self.runtime_minutes, 60)
        return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"
