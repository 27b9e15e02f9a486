"""Staff see each showtime's waiting list in the admin and take entries off it;
nobody adds, edits or deletes an entry there."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from accounts.tests.factories import UserFactory
from bookings.models import Hold, HoldStatus, WaitlistEntry, WaitlistStatus
from bookings.services import booking_cancel, waitlist_join
from bookings.tests.factories import make_booking
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = pytest.mark.django_db

LIST = "/admin/bookings/waitlistentry/"


@pytest.fixture
def showtime(staff):
    showtime = ShowtimeFactory(room=RoomFactory(rows=1, seats_per_row=2))
    make_booking(user=staff, showtime=showtime, labels=["A1"])
    showtime.single = make_booking(user=staff, showtime=showtime, labels=["A2"])
    return showtime


@pytest.fixture
def entries(showtime, customer, other_customer):
    return [waitlist_join(user=user, showtime=showtime, party_size=1) for user in (customer, other_customer)]


def take_off(client, *entries):
    return client.post(LIST, {"action": "take_off", "_selected_action": [e.pk for e in entries]}, follow=True)


def test_the_showtime_page_shows_its_line_in_order(client, theater_staff, showtime, entries, customer):
    client.force_login(theater_staff)

    html = client.get(f"/admin/theaters/showtime/{showtime.pk}/change/").content.decode()

    assert "Waiting list" in html
    assert html.index(f"1. {customer.email}") < html.index("2. oscar@example.com")
    assert f"/admin/bookings/waitlistentry/{entries[0].pk}/change/" in html


def test_theater_staff_take_an_offered_entry_off_and_the_seats_go_to_the_next(
    client, theater_staff, staff, showtime, entries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=showtime.single, by=staff)
    first, second = (WaitlistEntry.objects.get(pk=e.pk) for e in entries)
    assert first.status == WaitlistStatus.OFFERED
    client.force_login(theater_staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = take_off(client, first)

    assert "Took 1 entry(ies) off the waiting list" in response.content.decode()
    assert WaitlistEntry.objects.get(pk=first.pk).status == WaitlistStatus.LEFT
    assert Hold.objects.get(pk=first.hold_id).status == HoldStatus.RELEASED
    assert WaitlistEntry.objects.get(pk=second.pk).status == WaitlistStatus.OFFERED


def test_an_entry_already_off_counts_nothing(client, staff, entries):
    client.force_login(staff)
    take_off(client, entries[0])

    response = take_off(client, entries[0])

    assert "Took 0 entry(ies) off the waiting list; the others had left it." in response.content.decode()


def test_the_list_and_an_entry_page_are_read_only(client, theater_staff, entries):
    client.force_login(theater_staff)

    listing = client.get(LIST).content.decode()
    page = client.get(f"{LIST}{entries[0].pk}/change/").content.decode()

    assert "carla@example.com" in listing and "Take selected off the waiting list" in listing
    assert 'name="_save"' not in page
    assert client.get(f"{LIST}add/").status_code == 403
    assert client.post(f"{LIST}{entries[0].pk}/delete/", {"post": "yes"}).status_code == 403
    assert WaitlistEntry.objects.count() == 2


def test_staff_who_may_only_view_cannot_take_anyone_off(client, entries):
    viewer = UserFactory(email="vera@example.com", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_waitlistentry"))
    client.force_login(viewer)

    response = take_off(client, entries[0])

    assert response.status_code == 200
    assert "Take selected off" not in client.get(LIST).content.decode()
    assert WaitlistEntry.objects.get(pk=entries[0].pk).status == WaitlistStatus.WAITING


def test_customers_are_kept_out(client, customer, entries):
    client.force_login(customer)

    response = client.post(LIST, {"action": "take_off", "_selected_action": [entries[0].pk]})

    assert response.status_code == 403
    assert WaitlistEntry.objects.get(pk=entries[0].pk).status == WaitlistStatus.WAITING
