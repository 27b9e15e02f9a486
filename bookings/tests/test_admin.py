from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.models import BookingStatus
from bookings.tests.factories import make_booking
from movies.tests.factories import MovieFactory
from theaters.models import Room, Showtime, ShowtimeStatus
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "admin:index",
    "admin:movies_movie_changelist",
    "admin:movies_movie_add",
    "admin:theaters_room_changelist",
    "admin:theaters_room_add",
    "admin:theaters_showtime_changelist",
    "admin:theaters_showtime_add",
    "admin:bookings_booking_changelist",
    "admin:accounts_user_changelist",
    "admin:accounts_user_add",
]


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_staff_open_every_admin_page(client, staff, name):
    ShowtimeFactory()
    client.force_login(staff)

    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_customers_are_told_the_admin_is_for_staff(client, customer, name):
    client.force_login(customer)

    response = client.get(reverse(name))

    assert response.status_code == 403
    assert "for the theater's staff only" in response.content.decode()


def test_the_room_add_form_creates_the_seat_grid(client, staff):
    client.force_login(staff)

    response = client.post(
        reverse("admin:theaters_room_add"), {"name": "Studio 9", "rows": 4, "seats_per_row": 6}
    )

    assert response.status_code == 302
    room = Room.objects.get(name="Studio 9")
    assert room.capacity == 24 and room.seats.count() == 24
    change = client.get(reverse("admin:theaters_room_change", args=[room.pk]))
    assert "D6" in change.content.decode()


def showtime_form(movie, room, starts_at, price="10.00") -> dict:
    local = timezone.localtime(starts_at)
    return {
        "movie": movie.pk,
        "room": room.pk,
        "starts_at_0": local.strftime("%Y-%m-%d"),
        "starts_at_1": local.strftime("%H:%M:%S"),
        "price": price,
        # The page's read-only inline of active holds posts its management form too.
        "holds-TOTAL_FORMS": "0",
        "holds-INITIAL_FORMS": "0",
    }


def test_an_overlapping_showtime_is_a_form_error_not_a_crash(client, staff):
    existing = ShowtimeFactory(movie__title="Dune")
    client.force_login(staff)

    response = client.post(
        reverse("admin:theaters_showtime_add"),
        showtime_form(MovieFactory(), existing.room, existing.starts_at + timedelta(minutes=30)),
    )

    assert response.status_code == 200
    assert "Dune" in str(response.context["adminform"].form.errors)
    assert Showtime.objects.count() == 1


def test_a_past_showtime_is_a_form_error(client, staff):
    client.force_login(staff)

    response = client.post(
        reverse("admin:theaters_showtime_add"),
        showtime_form(MovieFactory(), RoomFactory(), timezone.now() - timedelta(hours=1)),
    )

    assert response.status_code == 200
    assert "past" in str(response.context["adminform"].form.errors)


def test_the_showtime_add_form_schedules_through_the_service(client, staff, settings):
    movie, room = MovieFactory(runtime_minutes=90), RoomFactory()
    starts_at = (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    client.force_login(staff)

    response = client.post(reverse("admin:theaters_showtime_add"), showtime_form(movie, room, starts_at))

    assert response.status_code == 302
    showtime = Showtime.objects.get()
    assert showtime.ends_at == starts_at + timedelta(minutes=90)
    assert showtime.room_free_at == showtime.ends_at + timedelta(minutes=settings.CLEANING_MINUTES)


def test_the_showtime_list_shows_sold_over_capacity(client, staff, customer):
    showtime = ShowtimeFactory(room=RoomFactory(rows=2, seats_per_row=5))
    make_booking(user=customer, showtime=showtime, labels=["A1", "A2", "A3"])
    client.force_login(staff)

    assert "3 / 10" in client.get(reverse("admin:theaters_showtime_changelist")).content.decode()


def test_the_cancel_action_cancels_selected_bookings(client, staff, customer, other_customer):
    showtime = ShowtimeFactory()
    first = make_booking(user=customer, showtime=showtime, labels=["A1"])
    second = make_booking(user=other_customer, showtime=showtime, labels=["A2"])
    client.force_login(staff)

    response = client.post(
        reverse("admin:bookings_booking_changelist"),
        {"action": "cancel_bookings", "_selected_action": [first.pk, second.pk], "post": "yes"},
        follow=True,
    )

    assert "Cancelled 2 booking(s)." in response.content.decode()
    first.refresh_from_db()
    assert (first.status, first.cancelled_by) == (BookingStatus.CANCELLED, staff)


def test_the_showtime_cancel_action_cancels_its_bookings(client, staff, customer):
    showtime = ShowtimeFactory()
    booking = make_booking(user=customer, showtime=showtime, labels=["A1"])
    client.force_login(staff)

    client.post(
        reverse("admin:theaters_showtime_changelist"),
        {"action": "cancel_showtimes", "_selected_action": [showtime.pk]},
    )

    showtime.refresh_from_db()
    booking.refresh_from_db()
    assert showtime.status == ShowtimeStatus.CANCELLED
    assert booking.status == BookingStatus.CANCELLED


def test_bookings_cannot_be_deleted_or_added_in_the_admin(client, staff, customer):
    booking = make_booking(user=customer, showtime=ShowtimeFactory(), labels=["A1"])
    client.force_login(staff)

    assert client.get(reverse("admin:bookings_booking_delete", args=[booking.pk])).status_code == 403
    assert client.get(reverse("admin:bookings_booking_add")).status_code == 403
    assert client.get(reverse("admin:bookings_booking_change", args=[booking.pk])).status_code == 200


def test_the_booking_list_filters_and_searches(client, staff, customer):
    booking = make_booking(user=customer, showtime=ShowtimeFactory(), labels=["A1"])
    client.force_login(staff)
    url = reverse("admin:bookings_booking_changelist")

    assert booking.code in client.get(url, {"q": customer.email}).content.decode()
    assert booking.code in client.get(url, {"q": booking.code}).content.decode()
    assert booking.code not in client.get(url, {"status__exact": "cancelled"}).content.decode()


def test_a_room_with_showtimes_is_not_deleted_from_the_admin(client, staff):
    showtime = ShowtimeFactory()
    client.force_login(staff)

    client.post(reverse("admin:theaters_room_delete", args=[showtime.room.pk]), {"post": "yes"})

    assert Room.objects.filter(pk=showtime.room.pk).exists()
