from __future__ import annotations

from django.db import models, transaction
from django.db.models.fields.files import ImageFieldFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from cinema.errors import DomainError
from movies.images import POSTER_WIDTHS, STILL_WIDTHS, delete_with_renditions, make_renditions
from movies.models import Movie, Still


class MovieError(DomainError):
    """A refused catalog change: a movie's history, or a picture that is not one."""

    conflicts = frozenset({"movie_has_bookings"})


@transaction.atomic
def movie_delete(*, movie: Movie) -> None:
    """Delete a movie and its sessions that have no booking.

    Showtimes cascade from their movie while bookings protect their showtime,
    so the database itself refuses to lose booking history. Its pictures go
    from the storage once the rows have.
    """
    stills = list(movie.stills.values_list("image", "width"))
    try:
        movie.delete()
    except models.ProtectedError as error:
        raise MovieError(
            "movie_has_bookings",
            _(
                "“%(title)s” has sessions with bookings, so it cannot be deleted: "
                "booking history is kept. Cancel its sessions instead."
            )
            % {"title": movie.title},
        ) from error
    storage = movie.poster.storage
    _forget(storage, movie.poster.name, movie.poster_width, POSTER_WIDTHS)
    for name, width in stills:
        _forget(storage, name, width, STILL_WIDTHS)


def _renditions(image: ImageFieldFile, widths: tuple[int, ...], field: str) -> None:
    try:
        make_renditions(image, widths)
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError, SyntaxError) as error:
        # The header was a picture's, the rest of the file is not.
        raise MovieError(
            "unreadable_image", _("This picture cannot be read to the end: upload it again."), field=field
        ) from error


def _forget(storage, name: str | None, width: int | None, widths: tuple[int, ...]) -> None:
    """Once the transaction commits, remove a picture that went (with its renditions)."""
    if name and width:
        transaction.on_commit(lambda: delete_with_renditions(storage, name, width, widths))


def _stored(model, pk: int | None, *fields: str) -> tuple:
    return model.objects.filter(pk=pk).values_list(*fields).first() or (None,) * len(fields)


def _save_with_renditions(instance, field: str, widths: tuple[int, ...]):
    """Save `instance`: its picture in `field` gets its renditions, the one it replaced goes."""
    width_field = instance._meta.get_field(field).width_field
    previous, previous_width = _stored(type(instance), instance.pk, field, width_field)
    instance.save()
    picture = getattr(instance, field)
    if picture:
        _renditions(picture, widths, field)
    if previous != picture.name:
        _forget(picture.storage, previous, previous_width, widths)
    return instance


@transaction.atomic
def movie_save(*, movie: Movie) -> Movie:
    """Save a movie (`_save_with_renditions` for its poster)."""
    return _save_with_renditions(movie, "poster", POSTER_WIDTHS)


@transaction.atomic
def still_save(*, still: Still) -> Still:
    return _save_with_renditions(still, "image", STILL_WIDTHS)


@transaction.atomic
def still_delete(*, still: Still) -> None:
    still.delete()
    _forget(still.image.storage, still.image.name, still.width, STILL_WIDTHS)
