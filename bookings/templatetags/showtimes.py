"""Showtime buttons and the what's-on movie cards, built in Python: as template
includes and loops they cost more than the rest of the what's-on page."""

from __future__ import annotations

from functools import lru_cache
from html import escape

from django import template
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext, gettext_lazy

from bookings.prices import from_price
from cinema.money import format_money
from movies.templatetags.catalog import poster

register = template.Library()


@register.filter
def availability(showtime) -> str:
    """ "sold-out", "few-left" or "": needs `seats_sold` (`bookings.models.seats_sold()`)."""
    capacity = showtime.room.capacity
    free = capacity - showtime.seats_sold
    if free <= 0:
        return "sold-out"
    # A tenth of the room, or five seats, is when people should hurry.
    return "few-left" if free <= max(5, capacity // 10) else ""


MARKS = {"sold-out": gettext_lazy("Sold out"), "few-left": gettext_lazy("Few seats left")}

# Plain f-strings with the standard library's escape (what Django's escape calls):
# format_html costs ten times as much per value.


@lru_cache(maxsize=4096)
def _url(name: str, pk: int, script_prefix: str) -> str:
    # reverse() costs as much as the rest of a link; an object's URL only
    # changes with the script prefix, part of the key.
    return reverse(name, args=[pk])


@register.simple_tag
def showtime_link(showtime, *, show_room: bool = False) -> SafeString:
    """A showtime's button: its local start, room and availability."""
    state = availability(showtime)
    starts_at = timezone.localtime(showtime.starts_at)
    style = "btn-outline-secondary" if state == "sold-out" else "btn-outline-primary"
    room = f'<span class="showtime-mark">{escape(showtime.room.name)}</span>' if show_room else ""
    mark = f'<span class="showtime-mark">{MARKS[state]}</span>' if state else ""
    url = escape(_url("bookings:seat-map", showtime.pk, get_script_prefix()))
    return mark_safe(  # escaped above; the rest are ints, dates and constants
        f'<a class="btn {style} showtime-link" href="{url}">'
        f'<time datetime="{starts_at.isoformat()}">{starts_at:%H:%M}</time>{room}{mark}</a>'
    )


CARD_POSTER_SIZES = "(min-width: 576px) 7.5rem, 6rem"
CARD_SYNOPSIS_WORDS = 25


def genre_names(movie) -> str:
    """ "Drama · Comedy": needs the movie's genres prefetched."""
    return " · ".join(genre.name for genre in movie.genres.all())


@register.simple_tag
def movie_card(movie, showtimes) -> SafeString:
    """What's on: a movie's card (poster, facts, synopsis) with its showtimes of the
    day, in the room they play in. Needs the movie's genres prefetched."""
    title = escape(movie.title)
    url = escape(_url("bookings:movie-detail", movie.pk, get_script_prefix()))
    # (Not inside the f-string: xgettext finds no message there.)
    rating_name = gettext("Rating")
    rating = (
        f'<span class="badge text-bg-dark me-1" title="{rating_name}">{escape(movie.rating)}</span> '
        if movie.rating
        else ""
    )
    year = f" · {movie.year}" if movie.year else ""
    lowest = from_price(showtimes)
    from_text = gettext("from %(price)s") % {"price": format_money(lowest)} if lowest is not None else ""
    price = f' · <span class="from-price">{escape(from_text)}</span>' if from_text else ""
    label = escape(gettext("Showtimes of %(title)s") % {"title": movie.title})
    genres = genre_names(movie)
    genres = f'<p class="movie-genres small text-body-secondary mb-1">{escape(genres)}</p>' if genres else ""
    synopsis = Truncator(movie.description).words(CARD_SYNOPSIS_WORDS)
    synopsis = f'<p class="movie-synopsis small mb-3">{escape(synopsis)}</p>' if synopsis else ""
    links = "".join(
        f'<li class="list-inline-item mb-2">{showtime_link(showtime, show_room=True)}</li>'
        for showtime in showtimes
    )
    return mark_safe(  # escaped above; the rest are ints, decimals, constants and the poster's own
        '<div class="col"><article class="card h-100 movie-card shadow-sm">'
        '<div class="card-body d-flex gap-3">'
        f'<a href="{url}" class="movie-card-poster flex-shrink-0" tabindex="-1" aria-hidden="true">'
        f"{poster(movie, CARD_POSTER_SIZES)}</a>"
        '<div class="flex-grow-1 min-width-0">'
        f'<h3 class="h4 card-title"><a href="{url}" class="link-dark">{title}</a></h3>'
        f'<p class="card-subtitle mb-1 text-body-secondary">{rating}{movie.runtime_display}{year}{price}</p>'
        f"{genres}{synopsis}"
        f'<ul class="list-inline mb-0" aria-label="{label}">{links}</ul>'
        "</div></div></article></div>"
    )
