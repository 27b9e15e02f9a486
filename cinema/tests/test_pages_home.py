from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bookings.tests.factories import make_booking
from movies.tests.factories import MovieFactory
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = pytest.mark.django_db


def at(day_offset: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=day_offset)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def test_whats_on_groups_a_days_showtimes_by_movie(client):
    movie = MovieFactory(title="Nosferatu", rating="PG-13", runtime_minutes=94)
    room = RoomFactory(name="Grand Hall")
    ShowtimeFactory(movie=movie, room=room, starts_at=at(2, 14, 15))
    ShowtimeFactory(movie=movie, room=room, starts_at=at(2, 20, 45))
    ShowtimeFactory(movie=MovieFactory(title="Elsewhere"), starts_at=at(3, 12))
    day = (timezone.localdate() + timedelta(days=2)).isoformat()

    html = client.get(reverse("bookings:whats-on"), {"day": day}).content.decode()

    assert html.count("Nosferatu</a>") == 1
    assert "14:15" in html and "20:45" in html and "PG-13" in html and "1 h 34 min" in html
    assert "Elsewhere" not in html
    assert f'href="/?day={day}" aria-current="page"' in html


def test_whats_on_offers_today_and_the_next_six_days(client):
    html = client.get(reverse("bookings:whats-on")).content.decode()

    tabs = html.split('aria-label="Days"')[1].split("</nav>")[0]
    assert tabs.count("<li") == 7
    assert "Today" in html and "Tomorrow" in html
    last = (timezone.localdate() + timedelta(days=6)).isoformat()
    too_far = (timezone.localdate() + timedelta(days=7)).isoformat()
    assert f"?day={last}" in html and f"?day={too_far}" not in html


def test_whats_on_does_not_offer_showtimes_that_have_started(client):
    ShowtimeFactory(
        movie=MovieFactory(title="Already Rolling"), starts_at=timezone.now() - timedelta(minutes=1)
    )

    html = client.get(reverse("bookings:whats-on")).content.decode()

    assert "Already Rolling" not in html


def test_whats_on_marks_few_seats_left_and_sold_out(client, customer):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    small = RoomFactory(rows=1, seats_per_row=6)
    few = ShowtimeFactory(room=small, starts_at=at(1, 12))
    make_booking(user=customer, showtime=few, labels=["A1", "A2"])
    full = ShowtimeFactory(room=RoomFactory(rows=1, seats_per_row=2), starts_at=at(1, 15))
    make_booking(user=customer, showtime=full, labels=["A1", "A2"])
    ShowtimeFactory(room=RoomFactory(rows=10, seats_per_row=10), starts_at=at(1, 18))

    html = client.get(reverse("bookings:whats-on"), {"day": tomorrow}).content.decode()

    assert html.count("Few seats left") == 1
    assert html.count("Sold out") == 1


# A NUL byte in any URL is a 400 before the view (test_bad_input_pages.py).
@pytest.mark.parametrize("day", ["yesterday", "2001-01-01", "9999-99-99", "2026-02-30"])
def test_whats_on_shows_today_for_a_day_it_does_not_offer(client, day):
    response = client.get(reverse("bookings:whats-on"), {"day": day})

    assert response.status_code == 200
    assert 'href="/" aria-current="page"' in response.content.decode()


def test_whats_on_costs_the_same_queries_whatever_is_showing(client, customer, django_assert_num_queries):
    for hour in range(10, 22):
        ShowtimeFactory(starts_at=at(1, hour))
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    # what the page kept for everyone is made of (the day's rows, the genres), then, to
    # render it: the genres to filter by, the day's showtimes with movie, room and seats
    # sold, their movies' genres
    with django_assert_num_queries(5):
        response = client.get(reverse("bookings:whats-on"), {"day": tomorrow})
    assert response.content.decode().count("showtime-link") == 12

    client.force_login(customer)  # a page of their own: rendered, without the key's reads
    with django_assert_num_queries(3 + 2):  # + their session and user
        response = client.get(reverse("bookings:whats-on"), {"day": tomorrow})
    assert response.content.decode().count("showtime-link") == 12


def test_the_nav_names_the_user_and_offers_admin_to_staff_only(client, customer, staff):
    client.force_login(customer)
    html = client.get(reverse("bookings:whats-on")).content.decode()
    assert "Carla Customer" in html and "My bookings" in html and ">Admin<" not in html
    assert f'action="{reverse("accounts:logout")}"' in html

    client.force_login(staff)
    assert ">Admin<" in client.get(reverse("bookings:whats-on")).content.decode()


def test_an_unknown_page_gets_the_sites_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "<title>Page not found · Cinema</title>" in response.content.decode()


def test_a_post_without_csrf_token_gets_the_sites_csrf_page(customer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(customer)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


def test_the_error_handlers_render_the_sites_pages(rf):
    from cinema import views

    request = rf.get("/")
    assert b"Not allowed" in views.permission_denied(request, Exception()).content
    server_error = views.server_error(request)
    assert server_error.status_code == 500 and b"Something went wrong" in server_error.content
