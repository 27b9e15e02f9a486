"""Every refusal the admin can meet: shown on the form (or, for a delete, on the
object's page), nothing written, no "successfully" and no history entry.

A refused write must roll back the admin's whole transaction: its LogEntry is
written before or after the service call inside it, and its success message is
queued in the message storage, which no rollback undoes.
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse

import theaters.forms
import theaters.services
from accounts.tests.factories import UserFactory
from bookings.models import Booking, BookingStatus, Ticket
from bookings.services import booking_cancel
from bookings.tests.factories import make_booking
from bookings.tests.test_admin import showtime_form
from movies.models import Movie
from movies.tests.factories import MovieFactory
from theaters.models import Room, Seat, Showtime, ShowtimeStatus
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = pytest.mark.django_db

SUCCESS = "successfully"
CONFIRM = "Yes, I’m sure"  # the delete confirmation's button


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def assert_refused_on_the_form(response, message: str, *, field: str | None) -> None:
    """A 200 with the form again, the refusal under `field` (None: above the form), no success."""
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert message in form.errors[field or "__all__"]
    assert message in response.content.decode()
    assert SUCCESS not in response.content.decode()
    assert not any(SUCCESS in text for text in messages_of(response))
    assert not LogEntry.objects.exists()


def assert_delete_refused(client, response, change_url: str, message: str) -> None:
    """Back on the object's page with the refusal as its only message, an error."""
    assert response.status_code == 302 and response["Location"] == change_url
    assert not LogEntry.objects.exists()
    page = client.get(change_url).content.decode()
    assert f'<li class="error">{message}</li>' in page
    assert SUCCESS not in page


def room_change_url(room: Room) -> str:
    return reverse("admin:theaters_room_change", args=[room.pk])


def showtime_change_url(showtime: Showtime) -> str:
    return reverse("admin:theaters_showtime_change", args=[showtime.pk])


def test_adding_a_room_named_like_another_but_for_case_is_refused_on_the_form(staff_client):
    RoomFactory(name="Studio 1", rows=2, seats_per_row=3)

    response = staff_client.post(
        reverse("admin:theaters_room_add"), {"name": "studio 1", "rows": 4, "seats_per_row": 5}
    )

    assert_refused_on_the_form(response, "A room named “studio 1” already exists.", field="name")
    assert list(Room.objects.values_list("name", flat=True)) == ["Studio 1"]
    assert Seat.objects.count() == 6
    # the input is kept, so staff only fix the name
    assert response.context["adminform"].form.data["rows"] == "4"


def test_renaming_a_room_to_another_rooms_name_in_other_case_is_refused_on_the_form(staff_client):
    RoomFactory(name="Studio 1")
    room = RoomFactory(name="Studio 2")

    response = staff_client.post(room_change_url(room), {"name": "STUDIO 1"})

    assert_refused_on_the_form(response, "A room named “STUDIO 1” already exists.", field="name")
    room.refresh_from_db()
    assert room.name == "Studio 2"


def test_deleting_a_room_that_has_showtimes_goes_back_to_it_with_the_refusal(staff_client):
    room = RoomFactory(name="Studio 1")
    url = reverse("admin:theaters_room_delete", args=[room.pk])
    assert CONFIRM in staff_client.get(url).content.decode()  # before the room was scheduled
    showtime = ShowtimeFactory(room=room)

    response = staff_client.post(url, {"post": "yes"})

    assert_delete_refused(
        staff_client,
        response,
        room_change_url(room),
        "“Studio 1” has sessions, so it cannot be deleted. Delete or move them first.",
    )
    assert Showtime.objects.get() == showtime
    assert Seat.objects.filter(room=room).count() == room.capacity == 40


def test_a_showtime_overlapping_another_is_refused_by_the_form(staff_client):
    existing = ShowtimeFactory(movie__title="Dune")

    response = staff_client.post(
        reverse("admin:theaters_showtime_add"),
        showtime_form(MovieFactory(), existing.room, existing.starts_at + timedelta(minutes=30)),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["starts_at"]
    assert len(errors) == 1 and "“Dune” runs" in errors[0]
    assert_refused_on_the_form(response, errors[0], field="starts_at")
    assert list(Showtime.objects.all()) == [existing]


def test_a_showtime_whose_overlap_only_the_service_sees_is_refused_on_the_form(staff_client, monkeypatch):
    existing = ShowtimeFactory(movie__title="Dune")
    # Another admin's showtime committed between this form's check and the
    # service's room lock: the form saw the room free, so blind only the form's
    # check (it calls theaters.services through its module); the service's own
    # check, under the lock, sees the clash as it would after the race.
    blind = SimpleNamespace(
        check_slot=lambda *, showtime: None, showtime_prices_for=theaters.services.showtime_prices_for
    )
    monkeypatch.setattr(theaters.forms, "services", blind)

    response = staff_client.post(
        reverse("admin:theaters_showtime_add"),
        showtime_form(MovieFactory(), existing.room, existing.starts_at + timedelta(minutes=30)),
    )

    errors = response.context["adminform"].form.errors["starts_at"]
    assert len(errors) == 1 and "“Dune” runs" in errors[0]
    assert_refused_on_the_form(response, errors[0], field="starts_at")
    assert list(Showtime.objects.all()) == [existing]


def test_moving_a_booked_showtime_to_another_room_is_refused_on_the_form(staff_client, customer):
    showtime = ShowtimeFactory()
    make_booking(user=customer, showtime=showtime, labels=["A1"])
    elsewhere = RoomFactory()

    response = staff_client.post(
        showtime_change_url(showtime), showtime_form(showtime.movie, elsewhere, showtime.starts_at)
    )

    assert_refused_on_the_form(
        response,
        "This session has bookings for seats in its room, so it cannot move to another room.",
        field="room",
    )
    showtime.refresh_from_db()
    assert showtime.room_id != elsewhere.pk
    assert Ticket.objects.get().seat.room_id == showtime.room_id


def test_deleting_a_showtime_that_has_bookings_goes_back_to_it_with_the_refusal(staff_client, customer):
    showtime = ShowtimeFactory()
    url = reverse("admin:theaters_showtime_delete", args=[showtime.pk])
    assert CONFIRM in staff_client.get(url).content.decode()  # before the booking came in
    booking = make_booking(user=customer, showtime=showtime, labels=["A1"])

    response = staff_client.post(url, {"post": "yes"})

    assert_delete_refused(
        staff_client,
        response,
        showtime_change_url(showtime),
        "This session has bookings, so it cannot be deleted: cancel it instead.",
    )
    assert Showtime.objects.get() == showtime
    assert Booking.objects.get() == booking
    assert Ticket.objects.filter(booking=booking, active=True).count() == 1


def test_deleting_a_movie_that_has_booked_showtimes_goes_back_to_it_with_the_refusal(staff_client, customer):
    showtime = ShowtimeFactory(movie__title="Dune")
    unbooked = ShowtimeFactory(movie=showtime.movie, starts_at=showtime.starts_at + timedelta(days=1))
    movie = showtime.movie
    url = reverse("admin:movies_movie_delete", args=[movie.pk])
    assert CONFIRM in staff_client.get(url).content.decode()  # before the booking came in
    make_booking(user=customer, showtime=showtime, labels=["A1"])

    response = staff_client.post(url, {"post": "yes"})

    assert_delete_refused(
        staff_client,
        response,
        reverse("admin:movies_movie_change", args=[movie.pk]),
        "“Dune” has sessions with bookings, so it cannot be deleted: booking history is kept. "
        "Cancel its sessions instead.",
    )
    assert Movie.objects.get() == movie
    assert set(Showtime.objects.all()) == {showtime, unbooked}


@pytest.mark.parametrize("model", ["room", "showtime", "movie"])
def test_the_delete_page_of_what_bookings_or_showtimes_protect_offers_no_confirmation(
    staff_client, customer, model
):
    showtime = ShowtimeFactory()
    booking = make_booking(user=customer, showtime=showtime, labels=["A1"])
    obj = {"room": showtime.room, "showtime": showtime, "movie": showtime.movie}[model]
    app = "movies" if model == "movie" else "theaters"

    page = staff_client.get(reverse(f"admin:{app}_{model}_delete", args=[obj.pk])).content.decode()

    assert f"Cannot delete {model}" in page
    assert CONFIRM not in page
    assert "permission to delete" not in page  # the history protects it, not a permission
    protector = showtime if model == "room" else booking
    assert str(protector) in page


def test_deleting_a_movie_still_needs_the_permission_to_delete_its_showtimes(client, db):
    showtime = ShowtimeFactory()
    catalog_only = UserFactory(is_staff=True)
    catalog_only.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="movies", codename__in=["view_movie", "delete_movie"]
        )
    )
    client.force_login(catalog_only)
    url = reverse("admin:movies_movie_delete", args=[showtime.movie.pk])

    page = client.get(url).content.decode()
    response = client.post(url, {"post": "yes"})

    assert "permission to delete" in page and "<li>showtime</li>" in page
    assert response.status_code == 403
    assert Showtime.objects.get() == showtime
    assert not LogEntry.objects.exists()


def test_the_cancel_showtimes_action_counts_only_what_it_cancelled(staff_client, customer, other_customer):
    booked = ShowtimeFactory()
    first = make_booking(user=customer, showtime=booked, labels=["A1", "A2"])
    second = make_booking(user=other_customer, showtime=booked, labels=["B1"])
    earlier = booking_cancel(booking=make_booking(user=customer, showtime=booked, labels=["C1"]), by=customer)
    unbooked = ShowtimeFactory()
    cancelled_before = ShowtimeFactory(status=ShowtimeStatus.CANCELLED)

    response = staff_client.post(
        reverse("admin:theaters_showtime_changelist"),
        {"action": "cancel_showtimes", "_selected_action": [booked.pk, unbooked.pk, cancelled_before.pk]},
    )

    assert messages_of(response) == ["Cancelled 2 showtime(s) and 2 booking(s)."]
    assert set(Showtime.objects.filter(status=ShowtimeStatus.CANCELLED)) == {
        booked,
        unbooked,
        cancelled_before,
    }
    assert set(Booking.objects.filter(status=BookingStatus.CANCELLED)) == {first, second, earlier}
    earlier.refresh_from_db()
    assert earlier.cancelled_by == customer


def test_the_cancel_bookings_action_counts_cancelled_and_skipped(
    staff, staff_client, customer, other_customer
):
    showtime = ShowtimeFactory()
    first = make_booking(user=customer, showtime=showtime, labels=["A1"])
    second = make_booking(user=other_customer, showtime=showtime, labels=["A2"])
    earlier = booking_cancel(
        booking=make_booking(user=customer, showtime=showtime, labels=["A3"]), by=customer
    )
    untouched = make_booking(user=other_customer, showtime=showtime, labels=["A4"])

    response = staff_client.post(
        reverse("admin:bookings_booking_changelist"),
        {"action": "cancel_bookings", "_selected_action": [first.pk, second.pk, earlier.pk], "post": "yes"},
    )

    assert messages_of(response) == ["Cancelled 2 booking(s). 1 already cancelled were left as they were."]
    cancelled_by = dict(Booking.objects.values_list("pk", "cancelled_by"))
    assert cancelled_by == {
        first.pk: staff.pk,
        second.pk: staff.pk,
        earlier.pk: customer.pk,
        untouched.pk: None,
    }


@pytest.mark.parametrize(
    "changelist",
    [
        "admin:movies_movie_changelist",
        "admin:theaters_room_changelist",
        "admin:theaters_showtime_changelist",
        "admin:bookings_booking_changelist",
    ],
)
def test_delete_selected_is_not_offered(staff_client, changelist):
    ShowtimeFactory()

    response = staff_client.get(reverse(changelist))

    action_form = response.context["action_form"]  # None when an admin has no action left
    actions = [name for name, _label in action_form.fields["action"].choices] if action_form else []
    assert "delete_selected" not in actions
    assert "Delete selected" not in response.content.decode()


@pytest.mark.parametrize(
    ("changelist", "model"),
    [
        ("admin:movies_movie_changelist", Movie),
        ("admin:theaters_room_changelist", Room),
        ("admin:theaters_showtime_changelist", Showtime),
    ],
)
def test_delete_selected_posted_anyway_deletes_nothing(staff_client, changelist, model):
    # A room without showtimes and a movie and showtime without bookings: each
    # could be deleted one by one, never in bulk.
    kept = {Movie: MovieFactory, Room: RoomFactory, Showtime: ShowtimeFactory}[model]()

    staff_client.post(
        reverse(changelist), {"action": "delete_selected", "_selected_action": [kept.pk], "post": "yes"}
    )

    assert model.objects.filter(pk=kept.pk).exists()
    assert not LogEntry.objects.exists()
