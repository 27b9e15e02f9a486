"""The catalog's pieces on pages: a movie's poster as a responsive <picture> (WebP,
JPEG fallback) or a tidy placeholder, built in Python because what's on shows one
per card; its stills; the genre filter."""

from __future__ import annotations

from html import escape

from django import template
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from movies.images import POSTER_WIDTHS, STILL_WIDTHS, picture

register = template.Library()


def _picture_html(shown, *, sizes: str, alt: str, css_class: str, lazy: bool) -> str:
    loading = ' loading="lazy" decoding="async"' if lazy else ""
    return (
        f'<picture class="{css_class}">'
        f'<source type="image/webp" srcset="{escape(shown.webp_srcset)}" sizes="{escape(sizes)}">'
        f'<img src="{escape(shown.src)}" srcset="{escape(shown.jpg_srcset)}" sizes="{escape(sizes)}" '
        f'width="{shown.width}" height="{shown.height}" alt="{escape(alt)}"{loading}>'
        "</picture>"
    )


@register.simple_tag
def poster(movie, sizes: str = "10rem", lazy: bool = True) -> SafeString:
    """`sizes` is how wide the poster shows (the <img> attribute): the browser picks the rendition."""
    shown = picture(movie.poster, movie.poster_width, movie.poster_height, POSTER_WIDTHS)
    if shown is None:
        # The title beside it says which movie this is: the placeholder is only a shape.
        initial = escape(movie.title[:1].upper())
        return mark_safe(f'<span class="poster poster-placeholder" aria-hidden="true">{initial}</span>')
    alt = _("Poster of %(title)s") % {"title": movie.title}
    return mark_safe(_picture_html(shown, sizes=sizes, alt=alt, css_class="poster", lazy=lazy))  # escaped


@register.simple_tag
def still(image) -> SafeString:
    shown = picture(image.image, image.width, image.height, STILL_WIDTHS)
    alt = image.caption or _("A still of %(title)s") % {"title": image.movie.title}
    sizes = "(min-width: 992px) 20rem, 100vw"
    return mark_safe(_picture_html(shown, sizes=sizes, alt=alt, css_class="still", lazy=True))  # escaped


@register.inclusion_tag("movies/_genre_filter.html", takes_context=True)
def genre_filter(context, genres, chosen) -> dict:
    """Links to the page itself for each genre (`?genre=`), keeping its other choices (the day, a search)."""
    query = context["request"].GET.copy()
    query.pop("genre", None)

    def link(genre) -> str:
        params = {**query.dict(), **({"genre": genre.slug} if genre else {})}
        return f"?{urlencode(params)}" if params else "?"

    return {
        "all_link": link(None),
        "links": [(genre, link(genre)) for genre in genres],
        "chosen": chosen,
    }
