"""The waiting list on the pages: a sold-out seat map's **Join the waiting list**
(without JavaScript, anonymous visitors sent to log in), its refusals as form errors,
and my bookings' entries with their place in line, the offer's link and **Leave**."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.models import WaitlistEntry, WaitlistStatus
from bookings.services import booking_cancel, waitlist_join
from bookings.tests.factories import make_booking
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def showtime(staff):
    showtime = ShowtimeFactory(
        room=RoomFactory(rows=1, seats_per_row=3), starts_at=timezone.now() + timedelta(days=2)
    )
    make_booking(user=staff, showtime=showtime, labels=["A1", "A2"])
    showtime.single = make_booking(user=staff, showtime=showtime, labels=["A3"])
    return showtime


def map_url(showtime) -> str:
    return reverse("bookings:seat-map", args=[showtime.pk])


def join_url(showtime) -> str:
    return reverse("bookings:waitlist-join", args=[showtime.pk])


def test_a_sold_out_seat_map_offers_the_waiting_list(client, customer, showtime):
    client.force_login(customer)

    html = client.get(map_url(showtime)).content.decode()

    assert "Join the waiting list" in html
    assert f'action="{join_url(showtime)}"' in html
    assert '<label for="id_party_size"' in html and 'id="id_party_size"' in html


def test_a_seat_map_with_seats_free_does_not(client, customer, staff):
    showtime = ShowtimeFactory(room=RoomFactory(rows=1, seats_per_row=3))
    make_booking(user=staff, showtime=showtime, labels=["A1", "A2"])
    client.force_login(customer)

    assert "Join the waiting list" not in client.get(map_url(showtime)).content.decode()


def test_a_companion_seat_kept_for_wheelchair_users_leaves_the_map_sold_out(client, customer, staff):
    # The page and the service read "sold out" alike: the companion seat no one may take alone.
    showtime = ShowtimeFactory(room=RoomFactory(layout=["SSC"]), starts_at=timezone.now() + timedelta(days=2))
    make_booking(user=staff, showtime=showtime, labels=["A1", "A2"])
    client.force_login(customer)

    assert "Join the waiting list" in client.get(map_url(showtime)).content.decode()
    assert waitlist_join(user=customer, showtime=showtime, party_size=1).status == WaitlistStatus.WAITING


def test_joining_puts_me_in_line_and_my_bookings_show_my_place(client, customer, other_customer, showtime):
    waitlist_join(user=other_customer, showtime=showtime, party_size=1)
    client.force_login(customer)

    response = client.post(join_url(showtime), {"party_size": "2"}, follow=True)

    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("bookings:booking-list")
    assert "You are number 2 on the waiting list" in html
    assert "Number 2" in html and "Leave" in html
    entry = WaitlistEntry.objects.get(user=customer)
    assert (entry.party_size, entry.status) == (2, WaitlistStatus.WAITING)
    again = client.get(map_url(showtime)).content.decode()
    assert "You are number 2 on the waiting list for 2 seats" in again
    assert "Join the waiting list" not in again


def test_anonymous_visitors_are_sent_to_log_in_and_back_to_the_map(client, showtime):
    response = client.post(join_url(showtime), {"party_size": "1"})

    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    assert not WaitlistEntry.objects.exists()
    assert client.get(join_url(showtime)).status_code == 302  # the login's way back


@pytest.mark.parametrize(("size", "message"), [("0", "greater than or equal to 1"), ("11", "1 to 10 people")])
def test_a_bad_party_size_is_a_form_error(client, customer, showtime, size, message):
    client.force_login(customer)

    response = client.post(join_url(showtime), {"party_size": size})

    html = response.content.decode()
    assert response.status_code == 200
    assert message in html and 'aria-invalid="true"' in html
    assert not WaitlistEntry.objects.exists()


def test_joining_when_seats_are_free_again_is_refused_on_the_form(client, customer, staff, showtime):
    booking_cancel(booking=showtime.single, by=staff)
    client.force_login(customer)

    response = client.post(join_url(showtime), {"party_size": "1"})

    assert response.status_code == 200
    assert "There are seats free for this showtime" in response.content.decode()
    assert not WaitlistEntry.objects.exists()


def test_an_offer_links_to_its_checkout(
    client, customer, staff, showtime, django_capture_on_commit_callbacks
):
    entry = waitlist_join(user=customer, showtime=showtime, party_size=1)
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=showtime.single, by=staff)
    client.force_login(customer)

    html = client.get(reverse("bookings:booking-list")).content.decode()

    checkout = reverse("bookings:checkout", args=[WaitlistEntry.objects.get(pk=entry.pk).hold_id])
    assert f'href="{checkout}"' in html and "Seats held for you" in html
    assert client.get(checkout).status_code == 200


def test_leaving_takes_me_off_the_list(client, customer, showtime):
    entry = waitlist_join(user=customer, showtime=showtime, party_size=1)
    client.force_login(customer)

    response = client.post(reverse("bookings:waitlist-leave", args=[entry.pk]), follow=True)

    assert "You have left the waiting list" in response.content.decode()
    assert WaitlistEntry.objects.get(pk=entry.pk).status == WaitlistStatus.LEFT


def test_no_one_leaves_for_someone_else(client, customer, other_customer, showtime):
    entry = waitlist_join(user=customer, showtime=showtime, party_size=1)
    client.force_login(other_customer)

    assert client.post(reverse("bookings:waitlist-leave", args=[entry.pk])).status_code == 404
    assert client.get(reverse("bookings:waitlist-leave", args=[entry.pk])).status_code == 405
    assert WaitlistEntry.objects.get(pk=entry.pk).status == WaitlistStatus.WAITING
