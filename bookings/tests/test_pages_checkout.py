"""The checkout page (`/checkout/<hold>/`) and the live seat map's poll."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from bookings.models import Booking, Hold, HoldStatus
from bookings.services import hold_create
from bookings.tests.factories import make_booking, seat_ids
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def showtime():
    return ShowtimeFactory(
        room=RoomFactory(rows=15, seats_per_row=20),
        price=Decimal("8.00"),
        starts_at=timezone.now() + timedelta(days=1),
    )


def checkout_url(hold: Hold) -> str:
    return reverse("bookings:checkout", args=[hold.pk])


def test_checkout_lists_the_seats_the_total_and_the_expiry(client, customer, showtime):
    hold = hold_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "A1", "A2"))
    client.force_login(customer)

    html = client.get(checkout_url(hold)).content.decode()

    assert "A1" in html and "A2" in html and "16.00" in html
    assert f'datetime="{timezone.localtime(hold.expires_at).isoformat()}"' in html
    assert "Confirm booking" in html and "Extend" in html and "Release seats" in html
    assert "js/checkout.js" in html and "<script>" not in html


@pytest.mark.parametrize("seats", [1, 10])
def test_the_checkout_page_costs_the_same_queries_whatever_the_seats(
    client, customer, showtime, django_assert_num_queries, seats
):
    labels = [f"A{n}" for n in range(1, seats + 1)]
    hold = hold_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, *labels))
    for n in range(3):  # other bookings of the showtime change nothing
        make_booking(user=customer, showtime=showtime, labels=[f"O{n + 1}"])
    client.force_login(customer)

    # session, user, the hold with showtime, movie and room, its seats; the showtime's
    # prices as the bookings read them (cached for their version, which bookings leave)
    with django_assert_num_queries(4):
        response = client.get(checkout_url(hold))

    assert response.status_code == 200


@pytest.mark.parametrize("seats", [1, 10])
def test_confirming_costs_the_same_queries_whatever_the_seats(
    client, customer, showtime, django_assert_num_queries, seats
):
    labels = [f"B{n}" for n in range(1, seats + 1)]
    hold = hold_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, *labels))
    client.force_login(customer)

    # session, user, the hold, its seats and the showtime's prices (the ticket types
    # form); the service: savepoint, lock the showtime, lock the hold, its seats, the
    # customer's seats already, the prices again (under the lock), insert the booking,
    # insert the tickets, them added to the showtime's sales, the hold to end, its seats freed,
    # the hold marked booked, the waiting list's offer of it marked booked (if it was one),
    # seats_version bump, release
    with django_assert_num_queries(20):
        response = client.post(checkout_url(hold), {"action": "confirm"})

    booking = Booking.objects.get(user=customer)
    assert response.url == booking.get_absolute_url()
    assert booking.seat_labels() == labels


def test_extend_and_release_from_the_page(client, customer, showtime, settings):
    settings.HOLD_RENEWALS = 1
    hold = hold_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "C1"))
    client.force_login(customer)

    extended = client.post(checkout_url(hold), {"action": "renew"}, follow=True).content.decode()
    released = client.post(checkout_url(hold), {"action": "release"})

    assert "held a little longer" in extended and "Extend" not in extended.split("Release seats")[0][-300:]
    assert released.url == reverse("bookings:seat-map", args=[showtime.pk])
    assert Hold.objects.get(pk=hold.pk).status == HoldStatus.RELEASED


def test_an_expired_hold_says_so_and_links_back_with_the_same_seats(client, customer, showtime, settings):
    settings.HOLD_MINUTES = 10
    hold = hold_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "D3", "D4"))
    client.force_login(customer)

    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        page = client.get(checkout_url(hold)).content.decode()
        confirmed = client.post(checkout_url(hold), {"action": "confirm"}, follow=True).content.decode()
        back = client.get(
            f"{reverse('bookings:seat-map', args=[showtime.pk])}?seats={seat_ids(showtime, 'D3')[0]}"
        )

    assert "has expired" in page and "Confirm booking" not in page
    assert f"seats={seat_ids(showtime, 'D3')[0]}&amp;seats={seat_ids(showtime, 'D4')[0]}" in page
    assert "no longer held" in confirmed and not Booking.objects.exists()
    assert 'aria-label="Seat D3" checked' in back.content.decode()


def test_someone_elses_checkout_is_not_found(client, customer, other_customer, showtime):
    hold = hold_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "A1"))
    client.force_login(other_customer)

    assert client.get(checkout_url(hold)).status_code == 404
    assert client.post(checkout_url(hold), {"action": "confirm"}).status_code == 404
    assert not Booking.objects.exists()


def test_the_seat_map_shows_the_customers_hold_as_theirs(client, customer, showtime):
    hold_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "E5"))
    client.force_login(customer)

    html = client.get(reverse("bookings:seat-map", args=[showtime.pk])).content.decode()

    assert 'aria-label="Seat E5" checked' in html and "Go to checkout" in html


def test_the_live_poll_is_a_304_with_one_query_while_nothing_changed(
    client, customer, showtime, django_assert_num_queries
):
    url = reverse("bookings:seat-states", args=[showtime.pk])
    first = client.get(url)
    etag = first["ETag"]

    # the showtime's seats_version; its seats come from the cache
    with django_assert_num_queries(1):
        unchanged = client.get(url, headers={"If-None-Match": etag})
    hold_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "A7"))
    changed = client.get(url, headers={"If-None-Match": etag})

    assert first.json() == {"taken": []}
    assert unchanged.status_code == 304
    assert changed.status_code == 200 and changed.json() == {"taken": seat_ids(showtime, "A7")}
    assert changed["ETag"] != etag
