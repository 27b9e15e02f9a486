"""What's on as a visitor without a session sees it: rendered once, kept as bytes
for what it is made of, and made again whenever any of that changes."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from decimal import Decimal
from unittest import mock

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import StaffFactory
from bookings import views
from bookings.services import showtime_cancel
from bookings.tests.factories import make_booking
from bookings.views import CSRF_PLACEHOLDER
from movies.models import Genre
from movies.tests.factories import MovieFactory
from theaters.services import room_change_layout, showtime_update
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = pytest.mark.django_db


def tomorrow() -> str:
    return (timezone.localdate() + timedelta(days=1)).isoformat()


def page(client: Client, **query) -> str:
    return client.get(reverse("bookings:whats-on"), {"day": tomorrow(), **query}).content.decode()


def without_csrf_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.fixture
def showtime():
    day = timezone.localdate() + timedelta(days=1)
    genre = Genre.objects.create(name="Horror", slug="horror")
    movie = MovieFactory(title="Nosferatu")
    movie.genres.add(genre)
    return ShowtimeFactory(
        movie=movie,
        room=RoomFactory(rows=2, seats_per_row=5),
        starts_at=timezone.make_aware(datetime.combine(day, time(20))),
    )


def test_a_visitor_without_a_session_is_served_the_kept_page_in_two_queries(
    showtime, django_assert_num_queries
):
    first = page(Client())

    # the day's rows with their movies and rooms; the genres
    with django_assert_num_queries(2):
        again = page(Client())

    assert "Nosferatu" in again and "Horror" in again
    assert without_csrf_tokens(again) == without_csrf_tokens(first)


def test_each_visitor_gets_their_own_csrf_token_in_the_kept_page(showtime):
    visitors = [Client(enforce_csrf_checks=True) for _ in range(2)]

    pages = [page(visitor) for visitor in visitors]

    tokens = [re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html) for html in pages]
    assert tokens[0] and tokens[1] and set(tokens[0]).isdisjoint(tokens[1])
    assert CSRF_PLACEHOLDER not in pages[0]
    for visitor, theirs in zip(visitors, tokens, strict=True):
        # The language form of the page is accepted with the token it carries.
        answer = visitor.post(
            reverse("set_language"), {"language": "pt-pt", "next": "/", "csrfmiddlewaretoken": theirs[0]}
        )
        assert answer.status_code == 302


def sell_out(showtime, customer, other_customer):
    labels = [f"{row}{number}" for row in "AB" for number in range(1, 6)]
    make_booking(user=customer, showtime=showtime, labels=labels[:5])
    make_booking(user=other_customer, showtime=showtime, labels=labels[5:])


def rename_movie(showtime, customer, other_customer):
    showtime.movie.title = "Nosferatu the Vampyre"
    showtime.movie.save()


def rename_genre(showtime, customer, other_customer):
    Genre.objects.filter(slug="horror").update(name="Gothic horror")


def file_under_a_new_genre(showtime, customer, other_customer):
    showtime.movie.genres.add(Genre.objects.create(name="Classic", slug="classic"))


def change_prices(showtime, customer, other_customer):
    showtime_update(showtime=showtime, price=Decimal("23.50"))


def cancel_it(showtime, customer, other_customer):
    showtime_cancel(showtime=showtime, by=StaffFactory())


def schedule_another(showtime, customer, other_customer):
    ShowtimeFactory(movie=MovieFactory(title="Metropolis"), starts_at=showtime.starts_at - timedelta(hours=4))


def shrink_the_room(showtime, customer, other_customer):
    room_change_layout(room=showtime.room, layout=["SS"])


@pytest.mark.parametrize(
    ("change", "shows"),
    [
        (sell_out, "Sold out"),
        (rename_movie, "Nosferatu the Vampyre"),
        (rename_genre, "Gothic horror"),
        (file_under_a_new_genre, "Classic"),
        (change_prices, "23.50"),
        (cancel_it, "Nothing more is showing that day"),
        (schedule_another, "Metropolis"),
        (shrink_the_room, "Few seats left"),
    ],
)
def test_the_kept_page_is_made_again_when_what_it_shows_changes(
    showtime, customer, other_customer, change, shows
):
    assert shows not in page(Client())

    change(showtime, customer, other_customer)

    assert shows in page(Client())


def test_a_showtime_that_starts_leaves_the_kept_page(showtime):
    earlier = ShowtimeFactory(
        movie=MovieFactory(title="Metropolis"), starts_at=showtime.starts_at - timedelta(hours=4)
    )
    assert "Metropolis" in page(Client())

    day = tomorrow()
    with time_machine.travel(earlier.starts_at + timedelta(minutes=1)):
        html = page(Client(), day=day)

    assert "Metropolis" not in html and "Nosferatu" in html


def test_the_kept_page_keeps_the_querys_other_parameters_in_its_links(showtime):
    plain, tagged = page(Client()), page(Client(), utm_source="newsletter")

    assert "utm_source=newsletter" not in plain
    assert "utm_source=newsletter" in tagged


def test_a_logged_in_customer_is_never_served_the_kept_page(showtime, customer):
    page(Client())  # kept for everyone
    member = Client()
    member.force_login(customer)

    html = page(member)

    assert "Carla Customer" in html and "My bookings" in html


def test_a_visitor_with_messages_waiting_gets_a_page_of_their_own(showtime):
    with_messages = Client()
    with_messages.cookies["messages"] = "anything"
    with mock.patch("bookings.views._render_whats_on", wraps=views._render_whats_on) as render:
        for _visitor in range(3):
            page(Client())
        page(with_messages)
        page(with_messages)

    assert render.call_count == 3  # once for everyone, then each of theirs


def test_the_kept_page_is_kept_per_language(showtime):
    english = page(Client())
    portuguese = Client(HTTP_ACCEPT_LANGUAGE="pt-pt")

    html = page(portuguese)

    assert "Tomorrow" in english and "Amanhã" in html
