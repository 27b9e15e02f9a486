"""API.md "Box office → Holds", and booking from a hold."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from bookings.models import Booking, Hold, HoldStatus
from bookings.tests.factories import seat_ids
from cinema.tests.clients import api_client
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = pytest.mark.django_db

HOLD_FIELDS = {"id", "session", "seats", "expires_at", "renewals_left", "status"}


@pytest.fixture
def showtime():
    return ShowtimeFactory(
        room=RoomFactory(rows=3, seats_per_row=6), starts_at=timezone.now() + timedelta(days=2)
    )


def hold(client, showtime, *labels: str):
    return client.post(
        "/api/holds", {"session": showtime.pk, "seats": seat_ids(showtime, *labels)}, format="json"
    )


def test_a_customer_holds_seats_and_reads_the_hold(customer, showtime, settings):
    settings.HOLD_MINUTES = 10
    client = api_client(customer)

    created = hold(client, showtime, "A2", "A1")
    read = client.get(f"/api/holds/{created.json()['id']}")

    body = created.json()
    assert created.status_code == 201 and set(body) == HOLD_FIELDS
    assert body["session"] == showtime.pk and body["status"] == "active" and body["renewals_left"] == 2
    assert [seat["label"] for seat in body["seats"]] == ["A1", "A2"]
    assert body["expires_at"].endswith("+00:00")
    assert read.status_code == 200 and read.json() == body


def test_another_customers_hold_is_not_found(customer, other_customer, showtime):
    created = hold(api_client(customer), showtime, "A1").json()
    other = api_client(other_customer)

    statuses = [
        other.get(f"/api/holds/{created['id']}").status_code,
        other.post(f"/api/holds/{created['id']}/renew").status_code,
        other.delete(f"/api/holds/{created['id']}").status_code,
    ]
    booked = other.post("/api/bookings", {"hold": created["id"]}, format="json")

    assert statuses == [404, 404, 404]
    assert booked.status_code == 400 and "hold" in booked.json()
    assert Hold.objects.get().status == HoldStatus.ACTIVE and not Booking.objects.exists()


def test_a_held_seat_is_409_for_others_and_shown_held_in_the_seat_map(customer, other_customer, showtime):
    hold(api_client(customer), showtime, "B3")
    other = api_client(other_customer)

    refused = hold(other, showtime, "B3", "B4")
    booked = other.post(
        "/api/bookings", {"session": showtime.pk, "seats": seat_ids(showtime, "B3")}, format="json"
    )
    seats = {seat["label"]: seat for seat in api_client().get(f"/api/sessions/{showtime.pk}").json()["seats"]}

    assert refused.status_code == booked.status_code == 409
    assert refused.json()["code"] == "seats_unavailable" and refused.json()["seats"] == seat_ids(
        showtime, "B3"
    )
    assert seats["B3"]["available"] is False and seats["B3"]["held"] is True
    assert seats["B4"]["available"] is True and seats["B4"]["held"] is False


def test_renewing_extends_and_then_refuses_with_409(customer, showtime, settings):
    settings.HOLD_RENEWALS = 1
    client = api_client(customer)
    created = hold(client, showtime, "A1").json()

    first = client.post(f"/api/holds/{created['id']}/renew")
    second = client.post(f"/api/holds/{created['id']}/renew")

    assert first.status_code == 200 and first.json()["renewals_left"] == 0
    assert second.status_code == 409 and second.json()["code"] == "hold_renewal_limit"


def test_releasing_frees_the_seats_at_once(customer, other_customer, showtime):
    created = hold(api_client(customer), showtime, "A1").json()

    released = api_client(customer).delete(f"/api/holds/{created['id']}")

    assert released.status_code == 204
    assert api_client(customer).get(f"/api/holds/{created['id']}").json()["status"] == "released"
    assert hold(api_client(other_customer), showtime, "A1").status_code == 201


def test_booking_a_hold_books_exactly_its_seats(customer, showtime):
    client = api_client(customer)
    created = hold(client, showtime, "C5", "C6").json()

    response = client.post("/api/bookings", {"hold": created["id"]}, format="json")

    body = response.json()
    assert response.status_code == 201
    assert [seat["label"] for seat in body["seats"]] == ["C5", "C6"] and body["status"] == "confirmed"
    assert client.get(f"/api/holds/{created['id']}").json()["status"] == "booked"
    again = client.post("/api/bookings", {"hold": created["id"]}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "hold_expired"
    assert Booking.objects.count() == 1


def test_booking_an_expired_hold_is_409_and_writes_nothing(customer, showtime, settings):
    settings.HOLD_MINUTES = 10
    client = api_client(customer)
    created = hold(client, showtime, "A1").json()

    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        response = client.post("/api/bookings", {"hold": created["id"]}, format="json")
        status = client.get(f"/api/holds/{created['id']}").json()["status"]

    assert response.status_code == 409 and response.json()["code"] == "hold_expired"
    assert status == "expired" and not Booking.objects.exists()


@pytest.mark.parametrize(
    "body",
    [{}, {"hold": 1, "session": 1, "seats": [1]}, {"session": 1}, {"hold": "x"}, {"hold": 10**30}],
    ids=["empty", "both", "session alone", "bad id", "huge id"],
)
def test_a_booking_body_is_a_hold_or_a_session_with_seats(customer, showtime, body):
    response = api_client(customer).post("/api/bookings", body, format="json")

    assert response.status_code == 400
    assert not Booking.objects.exists()


def test_sales_closed_is_400_for_a_new_hold(customer, settings):
    settings.SALES_CLOSE_MINUTES = 60
    showtime = ShowtimeFactory(starts_at=timezone.now() + timedelta(minutes=30))

    response = hold(api_client(customer), showtime, "A1")

    assert response.status_code == 400 and response.json()["code"] == "sales_closed"
    session = api_client().get(f"/api/sessions/{showtime.pk}").json()
    assert (
        session["sales_close_at"]
        == timezone.localtime(showtime.starts_at - timedelta(minutes=60)).isoformat()
    )


def test_an_unknown_or_huge_hold_id_is_404(customer):
    client = api_client(customer)

    assert client.get("/api/holds/999999").status_code == 404
    assert client.post("/api/holds/99999999999999999999/renew").status_code == 404
