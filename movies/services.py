from __future__ import annotations

from django.db import models, transaction
from django.utils.translation import gettext as _

from cinema.errors import DomainError
from movies.models import Movie


class MovieError(DomainError):
    """A refused catalog change: a movie is only ever refused because of its history."""

    conflicts = frozenset({"movie_has_bookings"})


@transaction.atomic
def movie_delete(*, movie: Movie) -> None:
    """Delete a movie and its sessions that have no booking.

    Showtimes cascade from their movie while bookings protect their showtime,
    so the database itself refuses to lose booking history.
    """
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
