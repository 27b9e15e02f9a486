"""Posters on the main pages, in a real browser at desktop and phone widths:
the renditions load (WebP chosen), keep their shape, and a movie without one
gets the placeholder; the shots are kept in test-artifacts/screenshots/."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from bookings.management.commands.seed_demo import demo_poster
from bookings.tests.factories import make_booking
from bookings.tests.test_browser import SCREENSHOTS, WIDTHS, log_in
from movies.models import Genre
from movies.services import movie_save
from movies.tests.factories import MovieFactory
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def with_demo_poster(title: str, genre: Genre):
    movie = MovieFactory(title=title, description="A film worth the trip. " * 8)
    movie.genres.set([genre])
    movie.poster.save("poster.jpg", ContentFile(demo_poster(movie), name="poster.jpg"), save=False)
    return movie_save(movie=movie)


def posters_loaded(page: Page) -> list[tuple[str, int, float]]:
    """Each poster image: the rendition the browser chose, its natural width, its shown shape."""
    return page.eval_on_selector_all(
        "picture.poster img",
        "imgs => imgs.map(i => [i.currentSrc, i.naturalWidth, i.getBoundingClientRect().height"
        " / i.getBoundingClientRect().width])",
    )


def test_the_main_pages_show_posters_at_desktop_and_phone_widths(page: Page, live_server, customer):
    drama = Genre.objects.create(name="Drama", slug="drama")
    soon = timezone.now() + timedelta(hours=3)
    movies = [with_demo_poster(title, drama) for title in ("Metropolis", "Nosferatu", "The Last Ferry")]
    for movie in movies:
        ShowtimeFactory(movie=movie, room=RoomFactory(rows=8, seats_per_row=12), starts_at=soon)
    ShowtimeFactory(movie=MovieFactory(title="Brazil"), room=RoomFactory(), starts_at=soon)
    booking = make_booking(user=customer, showtime=movies[0].showtimes.get(), labels=["D5"])
    log_in(page, live_server.url, customer)
    pages = {
        # The showtimes' own day: three hours from a late evening is tomorrow.
        "whats-on": f"{reverse('bookings:whats-on')}?day={timezone.localdate(soon).isoformat()}",
        "catalog": reverse("movies:movie-list"),
        "movie": reverse("bookings:movie-detail", args=[movies[0].pk]),
        "ticket": reverse("bookings:booking-detail", args=[booking.code]),
    }

    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        for name, path in pages.items():
            page.goto(live_server.url + path)
            page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # lazy ones load too
            expect(page.locator("picture.poster img").first).to_be_visible()
            page.wait_for_function("[...document.images].every(i => i.complete)")
            loaded = posters_loaded(page)
            assert loaded, name
            for source, natural_width, shape in loaded:
                assert source.endswith(".webp") and natural_width > 0, (name, source)
                assert shape == pytest.approx(1.5, abs=0.02), (name, shape)
            if name in ("whats-on", "catalog"):
                expect(page.locator(".poster-placeholder")).to_have_count(1)  # Brazil has none
            assert not page.evaluate(
                "document.documentElement.scrollWidth > document.documentElement.clientWidth"
            ), (name, label)
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SCREENSHOTS / f"posters-{name}-{label}.png", full_page=True)
