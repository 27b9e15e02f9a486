"""Staff see the seats held on a showtime's page and release a hold from the holds list."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import LogEntry

from bookings.models import Hold, HoldSeat, HoldStatus
from bookings.services import hold_create
from theaters.tests.factories import ShowtimeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hold(customer):
    showtime = ShowtimeFactory()
    return hold_create(
        user=customer, showtime=showtime, seat_ids=[showtime.room.seats.get(row="B", number=3).pk]
    )


def test_the_showtime_page_lists_its_active_holds(client, staff, hold, customer):
    client.force_login(staff)

    html = client.get(f"/admin/theaters/showtime/{hold.showtime_id}/change/").content.decode()

    assert "Seats held for customers checking out" in html
    assert f"/admin/bookings/hold/{hold.pk}/change/" in html and customer.email in html and "B3" in html


def test_staff_release_a_hold_and_its_seats_are_free_at_once(client, staff, hold):
    client.force_login(staff)

    response = client.post(
        "/admin/bookings/hold/", {"action": "release_holds", "_selected_action": [hold.pk]}, follow=True
    )

    assert "Released 1 hold(s)" in response.content.decode()
    assert Hold.objects.get(pk=hold.pk).status == HoldStatus.RELEASED
    assert not HoldSeat.objects.filter(active=True).exists()


def test_releasing_an_ended_hold_again_counts_nothing(client, staff, hold):
    client.force_login(staff)
    client.post("/admin/bookings/hold/", {"action": "release_holds", "_selected_action": [hold.pk]})

    response = client.post(
        "/admin/bookings/hold/", {"action": "release_holds", "_selected_action": [hold.pk]}, follow=True
    )

    assert "Released 0 hold(s); the others had already ended." in response.content.decode()
    assert not LogEntry.objects.filter(object_id=str(hold.pk)).exists()


def test_a_customer_cannot_release_holds_in_the_admin(client, customer, hold):
    client.force_login(customer)

    response = client.post(
        "/admin/bookings/hold/", {"action": "release_holds", "_selected_action": [hold.pk]}
    )

    assert response.status_code == 403
    assert Hold.objects.get(pk=hold.pk).status == HoldStatus.ACTIVE
