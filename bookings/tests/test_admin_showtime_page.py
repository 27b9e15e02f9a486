"""The admin's Showtimes: upcoming by default, 25 a page, one date format; a
showtime's page shows its seat map and its bookings in a constant number of queries."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from bookings.services import hold_create
from bookings.tests.factories import make_booking
from cinema.admin import admin_datetime
from cinema.localtime import local_midnight
from movies.tests.factories import MovieFactory
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:theaters_showtime_changelist"


def listed_movies(response) -> list[str]:
    return [showtime.movie.title for showtime in response.context["cl"].result_list]


@pytest.fixture
def schedule():
    """A past, a today-or-tomorrow (at least an hour ahead) and a next-week showtime, each its own room."""
    now = timezone.now()
    return {
        "past": ShowtimeFactory(movie__title="Past", starts_at=now - timedelta(days=3)),
        "soon": ShowtimeFactory(movie__title="Soon", starts_at=now + timedelta(hours=1)),
        "later": ShowtimeFactory(movie__title="Later", starts_at=now + timedelta(days=7)),
    }


def test_the_list_opens_on_upcoming_showtimes_soonest_first(client, theater_staff, schedule):
    client.force_login(theater_staff)

    response = client.get(reverse(CHANGELIST))

    assert listed_movies(response) == ["Soon", "Later"]
    html = response.content.decode()
    assert re.search(r'<li class="selected">\s*<a href="\?when=upcoming"[^>]*>Upcoming</a>', html)


def test_the_past_filter_shows_past_showtimes_latest_first(client, theater_staff, schedule):
    older = ShowtimeFactory(movie__title="Older", starts_at=timezone.now() - timedelta(days=10))
    client.force_login(theater_staff)

    response = client.get(reverse(CHANGELIST), {"when": "past"})

    assert listed_movies(response) == ["Past", older.movie.title]


def test_the_all_filter_shows_every_showtime(client, theater_staff, schedule):
    client.force_login(theater_staff)

    response = client.get(reverse(CHANGELIST), {"when": "all"})

    assert listed_movies(response) == ["Past", "Soon", "Later"]


def test_the_today_filter_shows_the_local_days_showtimes(client, theater_staff):
    today = timezone.localdate()
    ShowtimeFactory(movie__title="Today", starts_at=local_midnight(today) + timedelta(hours=12))
    ShowtimeFactory(movie__title="Tomorrow", starts_at=local_midnight(today) + timedelta(days=1, hours=1))
    ShowtimeFactory(movie__title="Yesterday", starts_at=local_midnight(today) - timedelta(hours=2))
    client.force_login(theater_staff)

    response = client.get(reverse(CHANGELIST), {"when": "today"})

    assert listed_movies(response) == ["Today"]


def test_a_showtime_playing_now_is_still_upcoming(client, theater_staff):
    ShowtimeFactory(
        movie__title="Playing", movie__runtime_minutes=120, starts_at=timezone.now() - timedelta(hours=1)
    )
    client.force_login(theater_staff)

    assert listed_movies(client.get(reverse(CHANGELIST))) == ["Playing"]


def test_an_unknown_when_lists_everything_rather_than_failing(client, theater_staff, schedule):
    client.force_login(theater_staff)

    response = client.get(reverse(CHANGELIST), {"when": "tomorrow-ish"})

    assert response.status_code == 200
    assert len(listed_movies(response)) == 3


def test_the_list_pages_by_25(client, theater_staff):
    room, movie = RoomFactory(), MovieFactory(runtime_minutes=60)
    start = timezone.now() + timedelta(days=1)
    for n in range(26):
        ShowtimeFactory(room=room, movie=movie, starts_at=start + timedelta(hours=2 * n))
    client.force_login(theater_staff)

    first = client.get(reverse(CHANGELIST))
    second = client.get(reverse(CHANGELIST), {"p": 2})

    assert len(first.context["cl"].result_list) == 25
    assert len(second.context["cl"].result_list) == 1


def test_the_list_shows_movie_room_start_price_status_and_sold_of_capacity(client, theater_staff, customer):
    showtime = ShowtimeFactory(movie__title="Dune", room__name="Studio 1")
    make_booking(user=customer, showtime=showtime, labels=["A1", "A2"])
    client.force_login(theater_staff)

    html = client.get(reverse(CHANGELIST)).content.decode()

    headers = re.findall(r'<th scope="col" class="[^"]*column-(\w+)', html)
    assert headers == ["movie", "room", "local_start", "price_list", "status", "sold"]
    assert f'<td class="field-local_start">{admin_datetime(showtime.starts_at)}</td>' in html
    assert '<td class="field-sold">2 / 40</td>' in html


def test_a_showtimes_page_shows_its_seat_map_with_sold_and_held_seats(client, theater_staff, customer):
    showtime = ShowtimeFactory(room=RoomFactory(rows=3, seats_per_row=4))
    make_booking(user=customer, showtime=showtime, labels=["A1", "A2"])
    holder = UserFactory(email="hal@example.com")
    hold_create(user=holder, showtime=showtime, seat_ids=[showtime.room.seats.get(row="B", number=3).pk])
    client.force_login(theater_staff)

    html = client.get(reverse("admin:theaters_showtime_change", args=[showtime.pk])).content.decode()

    assert '<span class="seat seat-sold" title="A1 (sold)">1</span>' in html
    assert '<span class="seat seat-sold" title="A2 (sold)">2</span>' in html
    assert '<span class="seat seat-held" title="B3 (held)">3</span>' in html
    assert '<span class="seat" title="C4">4</span>' in html
    assert "2 sold" in html and "1 held" in html and "9 free" in html
    assert "css/admin-seat-grid.css" in html
    # Read-only: the map has no inputs of its own.
    grid = html[html.index('<div class="seat-grid">') : html.index("seat-grid-legend")]
    assert "<input" not in grid


def test_a_showtimes_page_lists_its_bookings_linked_to_each(client, theater_staff, customer, other_customer):
    showtime = ShowtimeFactory()
    mine = make_booking(user=customer, showtime=showtime, labels=["C4", "C5"])
    theirs = make_booking(user=other_customer, showtime=showtime, labels=["A1"])
    client.force_login(theater_staff)

    html = client.get(reverse("admin:theaters_showtime_change", args=[showtime.pk])).content.decode()

    for booking, email, seats in ((mine, customer.email, "C4, C5"), (theirs, other_customer.email, "A1")):
        url = reverse("admin:bookings_booking_change", args=[booking.pk])
        assert (
            f'<tr><td><a href="{url}">{booking.code}</a></td><td>{email}</td><td>{seats}</td>'
            "<td>Confirmed</td></tr>"
        ) in html


def test_a_showtime_without_bookings_says_so(client, theater_staff):
    showtime = ShowtimeFactory()
    client.force_login(theater_staff)

    html = client.get(reverse("admin:theaters_showtime_change", args=[showtime.pk])).content.decode()

    assert "No bookings yet." in html


def test_the_add_page_has_no_seat_map_nor_bookings(client, theater_staff):
    client.force_login(theater_staff)

    html = client.get(reverse("admin:theaters_showtime_add")).content.decode()

    assert '<div class="seat-grid">' not in html and "No bookings yet." not in html


# 14 queries, for 1 booking as for 12: the session and the user (2), the showtime
# with its seats sold (1), the staff's permissions (user's and group's, 2), the
# active holds (1; none here, so no seats of theirs), the form's movie and room
# (2), the "view on site" content type (1), the movie's autocomplete widget (1),
# the room choices (1), the seat states (1), and the bookings with their users,
# showtimes and tickets (2).
# 14 before ticket types, and 2 more: the showtime's prices, and the ticket types on
# sale (one price field each).
# 1 more: its waiting list (in line order, with positions).
QUERIES_ON_A_SHOWTIME_PAGE = 17


@pytest.mark.parametrize("bookings", [1, 12])
def test_a_showtimes_page_costs_the_same_queries_whatever_its_bookings(
    client, theater_staff, django_assert_num_queries, bookings
):
    showtime = ShowtimeFactory(room=RoomFactory(rows=4, seats_per_row=5))
    seats = [seat.label for seat in showtime.room.seats.order_by("row", "number")]
    for n in range(bookings):
        make_booking(user=UserFactory(), showtime=showtime, labels=[seats[n]])
    client.force_login(theater_staff)
    url = reverse("admin:theaters_showtime_change", args=[showtime.pk])
    ContentType.objects.clear_cache()  # else an earlier test's lookup makes it 13

    with django_assert_num_queries(QUERIES_ON_A_SHOWTIME_PAGE):
        response = client.get(url)

    assert response.content.decode().count("<td>Confirmed</td>") == bookings
