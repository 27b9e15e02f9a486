"""API.md "Box office → Waiting list": join, list with the live position, leave."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings.models import WaitlistEntry, WaitlistStatus
from bookings.tests.factories import make_booking
from cinema.tests.clients import api_client
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = pytest.mark.django_db

ENTRY_FIELDS = {"id", "session", "party_size", "position", "status", "hold"}


@pytest.fixture
def showtime(staff):
    showtime = ShowtimeFactory(
        room=RoomFactory(rows=1, seats_per_row=3), starts_at=timezone.now() + timedelta(days=2)
    )
    make_booking(user=staff, showtime=showtime, labels=["A1", "A2"])
    showtime.single = make_booking(user=staff, showtime=showtime, labels=["A3"])
    return showtime


def join(client, showtime, body):
    return client.post(f"/api/sessions/{showtime.pk}/waitlist", body, format="json")


def test_a_customer_joins_a_sold_out_session(customer, other_customer, showtime):
    join(api_client(other_customer), showtime, {"party_size": 1})

    response = join(api_client(customer), showtime, {"party_size": 2})

    body = response.json()
    assert response.status_code == 201 and set(body) == ENTRY_FIELDS
    assert body == {
        "id": WaitlistEntry.objects.get(user=customer).pk,
        "session": showtime.pk,
        "party_size": 2,
        "position": 2,
        "status": "waiting",
        "hold": None,
    }


def test_joining_twice_is_409_already_waiting(customer, showtime):
    client = api_client(customer)
    join(client, showtime, {"party_size": 1})

    again = join(client, showtime, {"party_size": 1})

    assert again.status_code == 409 and again.json()["code"] == "already_waiting"
    assert WaitlistEntry.objects.count() == 1


def test_joining_with_seats_free_is_409_seats_available(customer, staff):
    showtime = ShowtimeFactory(starts_at=timezone.now() + timedelta(days=2))

    response = join(api_client(customer), showtime, {"party_size": 1})

    assert response.status_code == 409 and response.json()["code"] == "seats_available"
    assert not WaitlistEntry.objects.exists()


@pytest.mark.parametrize("body", [{"party_size": 0}, {"party_size": 11}, {"party_size": "two"}, {}])
def test_a_bad_party_size_is_400(customer, showtime, body):
    response = join(api_client(customer), showtime, body)

    assert response.status_code == 400 and "party_size" in response.json()
    assert not WaitlistEntry.objects.exists()


def test_joining_after_the_cut_off_is_400_sales_closed(customer, staff, settings):
    settings.SALES_CLOSE_MINUTES = 60
    showtime = ShowtimeFactory(
        room=RoomFactory(rows=1, seats_per_row=1), starts_at=timezone.now() + timedelta(minutes=30)
    )
    make_booking(user=staff, showtime=showtime, labels=["A1"])

    response = join(api_client(customer), showtime, {"party_size": 1})

    assert response.status_code == 400 and response.json()["code"] == "sales_closed"


def test_joining_needs_a_login_and_a_real_session(customer):
    assert join(api_client(), ShowtimeFactory(), {"party_size": 1}).status_code == 401
    missing = api_client(customer).post("/api/sessions/999999/waitlist", {"party_size": 1}, format="json")
    assert missing.status_code == 404


def test_a_user_lists_their_entries_and_staff_list_all_or_one_session(
    customer, other_customer, staff, showtime
):
    other = ShowtimeFactory(
        room=RoomFactory(rows=1, seats_per_row=1), starts_at=timezone.now() + timedelta(days=3)
    )
    make_booking(user=staff, showtime=other, labels=["A1"])
    join(api_client(other_customer), showtime, {"party_size": 1})
    join(api_client(customer), showtime, {"party_size": 1})
    join(api_client(customer), other, {"party_size": 1})

    mine = api_client(customer).get("/api/waitlist").json()
    everyone = api_client(staff).get("/api/waitlist").json()
    one_session = api_client(staff).get(f"/api/waitlist?session={showtime.pk}").json()

    assert [(e["session"], e["position"]) for e in mine["results"]] == [(showtime.pk, 2), (other.pk, 1)]
    assert everyone["count"] == 3
    assert [e["position"] for e in one_session["results"]] == [1, 2]
    assert api_client(staff).get("/api/waitlist?session=x").status_code == 400
    assert api_client().get("/api/waitlist").status_code == 401


def test_leaving_is_204_for_the_owner_and_staff_404_for_anyone_else(
    customer, other_customer, staff, showtime
):
    mine = join(api_client(customer), showtime, {"party_size": 1}).json()
    theirs = join(api_client(other_customer), showtime, {"party_size": 1}).json()

    assert api_client(other_customer).delete(f"/api/waitlist/{mine['id']}").status_code == 404
    assert WaitlistEntry.objects.get(pk=mine["id"]).status == WaitlistStatus.WAITING
    assert api_client(customer).delete(f"/api/waitlist/{mine['id']}").status_code == 204
    assert api_client(staff).delete(f"/api/waitlist/{theirs['id']}").status_code == 204
    assert api_client(customer).delete("/api/waitlist/999999").status_code == 404

    assert set(WaitlistEntry.objects.values_list("status", flat=True)) == {WaitlistStatus.LEFT}
    listed = api_client(customer).get("/api/waitlist").json()["results"]
    assert [(e["status"], e["position"]) for e in listed] == [("left", None)]


def test_an_offer_shows_its_hold_until_it_runs_out(
    customer, staff, showtime, django_capture_on_commit_callbacks
):
    entry = join(api_client(customer), showtime, {"party_size": 1}).json()
    with django_capture_on_commit_callbacks(execute=True):
        api_client(staff).delete(f"/api/bookings/{showtime.single.pk}")
    hold = WaitlistEntry.objects.get(pk=entry["id"]).hold

    offered = api_client(customer).get("/api/waitlist").json()["results"][0]
    hold.expires_at = timezone.now() - timedelta(seconds=1)
    hold.save()
    ran_out = api_client(customer).get("/api/waitlist").json()["results"][0]

    assert (offered["status"], offered["hold"], offered["position"]) == ("offered", hold.pk, 1)
    assert (ran_out["status"], ran_out["hold"], ran_out["position"]) == ("expired", None, None)
