"""The admin as the theater's staff use it: a "Theater staff" member, not a superuser.

Superuser tests pass whatever the group holds; these fail when the group
migration misses a permission that a page or action below needs.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from bookings.models import BookingStatus
from bookings.reports import csv_header
from bookings.tests.factories import make_booking
from bookings.tests.test_admin import showtime_form
from movies.models import Movie
from movies.tests.factories import MovieFactory
from theaters.models import Room, Seat, Showtime, ShowtimeStatus
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, theater_staff):
    client.force_login(theater_staff)
    return client


@pytest.fixture
def booking(customer):
    showtime = ShowtimeFactory(movie__title="Dune", room__name="Studio 1", price=Decimal("12.50"))
    return make_booking(user=customer, showtime=showtime, labels=["C4", "C5"])


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def logged(user, action_flag: int) -> list[str]:
    """The History entries `user` left with `action_flag`, as "model: object"."""
    entries = LogEntry.objects.filter(user=user, action_flag=action_flag).select_related("content_type")
    return [f"{entry.content_type.model}: {entry.object_repr}" for entry in entries]


def test_the_persona_is_a_member_of_the_group_and_nothing_more(theater_staff):
    assert theater_staff.is_staff and not theater_staff.is_superuser
    assert list(theater_staff.groups.values_list("name", flat=True)) == ["Theater staff"]
    assert not theater_staff.user_permissions.exists()


def test_the_admin_index_lists_movies_rooms_showtimes_bookings_and_links_insights(staff_client):
    response = staff_client.get(reverse("admin:index"))

    models = {model["object_name"]: model for app in response.context["app_list"] for model in app["models"]}
    assert {"Movie", "Room", "Showtime", "Booking"} <= set(models)
    for name in ("Movie", "Room", "Showtime"):
        assert models[name]["perms"] == {"add": True, "change": True, "delete": True, "view": True}
    assert models["Booking"]["add_url"] is None  # bookings are made by customers
    html = response.content.decode()
    assert '<a href="/admin/insights/">Insights' in html
    for listed in ("Movies", "Rooms", "Showtimes", "Bookings"):
        assert f">{listed}</a>" in html


# Movies


def test_they_list_and_search_movies(staff_client):
    MovieFactory(title="Dune")
    MovieFactory(title="Heat")

    response = staff_client.get(reverse("admin:movies_movie_changelist"), {"q": "dun"})

    assert [movie.title for movie in response.context["cl"].result_list] == ["Dune"]
    assert "Dune" in response.content.decode()


def test_they_add_a_movie(staff_client, theater_staff):
    url = reverse("admin:movies_movie_add")
    assert 'name="runtime_minutes"' in staff_client.get(url).content.decode()

    response = staff_client.post(
        url,
        {"title": "Alien", "year": 1979, "rating": "R", "runtime_minutes": 117, "description": "In space."},
    )

    assert response.status_code == 302
    movie = Movie.objects.get()
    assert (movie.title, movie.year, movie.rating, movie.runtime_minutes) == ("Alien", 1979, "R", 117)
    assert logged(theater_staff, ADDITION) == ["movie: Alien (1979)"]


def test_they_change_a_movie(staff_client):
    movie = MovieFactory(title="Dune", runtime_minutes=155)
    url = reverse("admin:movies_movie_change", args=[movie.pk])
    assert 'value="Dune"' in staff_client.get(url).content.decode()

    response = staff_client.post(
        url, {"title": "Dune: Part One", "year": 2021, "rating": "PG-13", "runtime_minutes": 155}
    )

    assert response.status_code == 302
    movie.refresh_from_db()
    assert movie.title == "Dune: Part One"


def test_they_delete_a_movie_with_its_unbooked_showtimes(staff_client, theater_staff):
    showtime = ShowtimeFactory(movie__title="Dune")
    url = reverse("admin:movies_movie_delete", args=[showtime.movie.pk])
    confirm = staff_client.get(url).content.decode()
    assert "Yes, I’m sure" in confirm and str(showtime) in confirm

    response = staff_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not Movie.objects.exists() and not Showtime.objects.exists()
    assert logged(theater_staff, DELETION) == ["movie: Dune (2026)"]


# Rooms


def test_they_list_rooms_with_their_capacity(staff_client):
    RoomFactory(name="Studio 1", rows=3, seats_per_row=4)

    html = staff_client.get(reverse("admin:theaters_room_changelist")).content.decode()

    assert "Studio 1" in html and '<td class="field-capacity">12</td>' in html


def test_they_add_a_room_with_its_seat_grid(staff_client, theater_staff):
    url = reverse("admin:theaters_room_add")
    assert 'name="seats_per_row"' in staff_client.get(url).content.decode()

    response = staff_client.post(url, {"name": "Studio 9", "rows": 4, "seats_per_row": 6})

    room = Room.objects.get(name="Studio 9")
    assert response.status_code == 302 and room.capacity == 24
    assert {seat.label for seat in Seat.objects.filter(room=room)} == {
        f"{r}{n}" for r in "ABCD" for n in range(1, 7)
    }
    assert logged(theater_staff, ADDITION) == ["room: Studio 9"]


def test_a_room_is_refused_with_both_a_grid_and_a_layout(staff_client, theater_staff):
    url = reverse("admin:theaters_room_add")

    response = staff_client.post(url, {"name": "Studio 9", "rows": 4, "seats_per_row": 6, "layout": "SSS"})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["layout"] == [
        "Give either a layout or rows and seats per row, not both."
    ]
    assert not Room.objects.filter(name="Studio 9").exists()
    assert logged(theater_staff, ADDITION) == []


def test_they_see_a_rooms_grid_and_rename_it(staff_client):
    room = RoomFactory(name="Studio 1", rows=2, seats_per_row=3)
    url = reverse("admin:theaters_room_change", args=[room.pk])
    assert '<span class="seat" title="B3">3</span>' in staff_client.get(url).content.decode()

    response = staff_client.post(url, {"name": "Studio One"})

    assert response.status_code == 302
    room.refresh_from_db()
    assert room.name == "Studio One"


def test_they_delete_a_room_without_showtimes(staff_client, theater_staff):
    room = RoomFactory(name="Studio 1")
    url = reverse("admin:theaters_room_delete", args=[room.pk])
    assert "Yes, I’m sure" in staff_client.get(url).content.decode()

    response = staff_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not Room.objects.exists() and not Seat.objects.exists()
    assert logged(theater_staff, DELETION) == ["room: Studio 1"]


# Showtimes


def test_they_list_showtimes_with_seats_sold(staff_client, booking):
    html = staff_client.get(reverse("admin:theaters_showtime_changelist")).content.decode()

    assert "Dune" in html and "Studio 1" in html and "2 / 40" in html


def test_they_find_the_movie_to_schedule_by_its_title(staff_client):
    MovieFactory(title="Dune")
    MovieFactory(title="Heat")
    add_page = staff_client.get(reverse("admin:theaters_showtime_add")).content.decode()
    assert "admin-autocomplete" in add_page

    response = staff_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "theaters", "model_name": "showtime", "field_name": "movie", "term": "du"},
    )

    assert [result["text"] for result in response.json()["results"]] == ["Dune (2026)"]


def test_they_schedule_a_showtime(staff_client, theater_staff):
    movie, room = MovieFactory(title="Dune", runtime_minutes=155), RoomFactory(name="Studio 1")
    starts_at = (timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)

    response = staff_client.post(
        reverse("admin:theaters_showtime_add"), showtime_form(movie, room, starts_at)
    )

    assert response.status_code == 302
    showtime = Showtime.objects.get()
    assert (showtime.movie, showtime.room, showtime.starts_at) == (movie, room, starts_at)
    assert showtime.ends_at == starts_at + timedelta(minutes=155)
    assert logged(theater_staff, ADDITION) == [f"showtime: {showtime}"]


def test_they_change_a_showtimes_price(staff_client, theater_staff):
    showtime = ShowtimeFactory(price=Decimal("12.50"))
    url = reverse("admin:theaters_showtime_change", args=[showtime.pk])
    assert 'value="12.50"' in staff_client.get(url).content.decode()

    response = staff_client.post(
        url, showtime_form(showtime.movie, showtime.room, showtime.starts_at, "9.00")
    )

    assert response.status_code == 302
    showtime.refresh_from_db()
    assert showtime.price == Decimal("9.00")
    assert logged(theater_staff, CHANGE) == [f"showtime: {showtime}"]


def test_they_delete_an_unbooked_showtime(staff_client):
    showtime = ShowtimeFactory()
    url = reverse("admin:theaters_showtime_delete", args=[showtime.pk])
    assert "Yes, I’m sure" in staff_client.get(url).content.decode()

    response = staff_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not Showtime.objects.exists()


def test_deleting_a_booked_showtime_is_refused_with_the_reason_not_a_permission_error(staff_client, booking):
    showtime = booking.showtime

    response = staff_client.post(
        reverse("admin:theaters_showtime_delete", args=[showtime.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert messages_of(response) == ["This session has bookings, so it cannot be deleted: cancel it instead."]
    assert Showtime.objects.get() == showtime


def test_they_cancel_showtimes_and_so_their_bookings(staff_client, theater_staff, booking):
    showtime = booking.showtime

    response = staff_client.post(
        reverse("admin:theaters_showtime_changelist"),
        {"action": "cancel_showtimes", "_selected_action": [showtime.pk]},
    )

    assert messages_of(response) == ["Cancelled 1 showtime(s) and 1 booking(s)."]
    showtime.refresh_from_db()
    booking.refresh_from_db()
    assert showtime.status == ShowtimeStatus.CANCELLED
    assert (booking.status, booking.cancelled_by) == (BookingStatus.CANCELLED, theater_staff)


# Bookings


def test_they_list_and_search_bookings(staff_client, booking, customer):
    url = reverse("admin:bookings_booking_changelist")

    found = staff_client.get(url, {"q": customer.email})
    missed = staff_client.get(url, {"q": "nobody@example.com"})

    assert list(found.context["cl"].result_list) == [booking]
    html = found.content.decode()
    assert booking.code in html and "C4, C5" in html and "25.00" in html
    assert list(missed.context["cl"].result_list) == []


def test_they_open_a_booking_with_its_tickets(staff_client, booking, customer):
    response = staff_client.get(reverse("admin:bookings_booking_change", args=[booking.pk]))

    html = response.content.decode()
    assert booking.code in html and customer.email in html
    tickets = response.context["inline_admin_formsets"][0].formset.queryset
    assert sorted(ticket.seat.label for ticket in tickets) == ["C4", "C5"]
    assert "Studio 1 C4" in html


def test_they_cancel_bookings(staff_client, theater_staff, booking):
    response = staff_client.post(
        reverse("admin:bookings_booking_changelist"),
        {"action": "cancel_bookings", "_selected_action": [booking.pk], "post": "yes"},
    )

    assert messages_of(response) == ["Cancelled 1 booking(s)."]
    booking.refresh_from_db()
    assert (booking.status, booking.cancelled_by) == (BookingStatus.CANCELLED, theater_staff)
    assert not booking.tickets.filter(active=True).exists()


# Insights


def test_they_read_the_insights_dashboard(staff_client, booking):
    response = staff_client.get(reverse("insights:dashboard"), {"group_by": "movie"})

    rows = {row.label: row for row in response.context["rows"]}
    assert (rows["Dune"].bookings, rows["Dune"].tickets, rows["Dune"].revenue) == (1, 2, Decimal("25.00"))
    assert "Dune" in response.content.decode()


def test_they_export_the_insights_as_csv(staff_client, booking):
    response = staff_client.get(reverse("insights:export"), {"group_by": "movie"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    header, *lines = csv.reader(io.StringIO(response.content.decode()))
    assert header == csv_header() and header[:7] == [
        "key",
        "label",
        "sessions",
        "bookings",
        "tickets",
        "revenue (EUR)",
        "occupancy",
    ]
    assert [str(booking.showtime.movie_id), "Dune", "1", "1", "2", "25.00", "0.0500"] in [
        line[:7] for line in lines
    ]
