"""Best seats and the orphan rule against the database: services, API and the seat map page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.models import Hold
from bookings.services import BookingError, booking_create, hold_create
from bookings.tests.factories import make_booking, seat_ids
from cinema.tests.clients import api_client
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def orphan_rule(settings):
    settings.ORPHAN_SEAT_RULE = "on"


@pytest.fixture
def showtime():
    # Row A: A1–A4 | aisle | A5–A8; row B: a wheelchair space, a companion seat, six seats.
    return ShowtimeFactory(
        room=RoomFactory(layout=["SSSS.SSSS", "WCSS.SSSS", "SSSS.SSSS"]),
        starts_at=timezone.now() + timedelta(days=2),
    )


def labels_of(showtime, seat_ids) -> list[str]:
    by_id = {seat.pk: seat.label for seat in showtime.room.seats.all()}
    return sorted(by_id[pk] for pk in seat_ids)


def test_the_rule_is_off_by_default(customer, showtime):
    hold = hold_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "A2", "A3"))

    assert len(hold.seat_list) == 2


def test_a_choice_stranding_a_seat_at_the_row_end_is_refused_with_a_suggestion(
    orphan_rule, customer, showtime
):
    with pytest.raises(BookingError) as error:
        hold_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "A2", "A3"))

    assert error.value.code == "orphan_seat" and not error.value.is_conflict
    assert "leave a single seat on its own" in error.value.message
    suggested = [place.pk for place in error.value.suggested]
    assert error.value.context()["suggested"] == suggested
    # Two thirds back is row B; B3–B4 (beside the companion seat) and B5–B6 are as near its
    # centre, the aisle: the left wins.
    assert labels_of(showtime, suggested) == ["B3", "B4"]
    assert not Hold.objects.exists()


def test_the_aisle_ends_a_run_too(orphan_rule, customer, showtime):
    # A5–A7 strand A8 at the row's end; A6–A8 strand A5 by the aisle.
    for labels in (["A5", "A6", "A7"], ["A6", "A7", "A8"]):
        with pytest.raises(BookingError) as error:
            booking_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, *labels))
        assert error.value.code == "orphan_seat"

    booking = booking_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "A1", "A2"))
    assert len(booking.ticket_list) == 2


def test_someone_elses_held_seats_count_as_taken(orphan_rule, customer, other_customer, showtime):
    hold_create(user=other_customer, showtime=showtime, seat_ids=seat_ids(showtime, "C1", "C2"))

    with pytest.raises(BookingError) as error:
        hold_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "C3"))  # strands C4
    assert error.value.code == "orphan_seat"

    assert hold_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "C3", "C4")).seat_list


def test_a_choice_is_allowed_when_every_other_would_strand_a_seat(orphan_rule, customer, other_customer):
    showtime = ShowtimeFactory(room=RoomFactory(layout=["SSS"]))

    hold = hold_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "A1", "A2"))

    assert len(hold.seat_list) == 2


def test_staff_are_exempt(orphan_rule, staff, showtime):
    booking = booking_create(user=staff, showtime=showtime, seat_ids=seat_ids(showtime, "A2", "A3"))

    assert len(booking.ticket_list) == 2


def test_a_hold_by_count_takes_the_best_seats_and_replaces_the_old_hold(customer, other_customer, showtime):
    make_booking(user=other_customer, showtime=showtime, labels=["B5", "B6"])
    hold_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "A1"))

    hold = hold_create(user=customer, showtime=showtime, count=4)

    # Row B has no four together now; C is nearer two thirds back (B⅓) than A, A1 freed or not.
    assert labels_of(showtime, [held.seat_id for held in hold.seat_list]) == ["C1", "C2", "C3", "C4"]
    assert Hold.objects.active().get() == hold


def test_a_hold_by_count_says_when_there_are_not_enough_seats(customer):
    showtime = ShowtimeFactory(room=RoomFactory(layout=["WCSS"]))

    with pytest.raises(BookingError) as error:
        hold_create(user=customer, showtime=showtime, count=3)  # never the accessible seats

    assert error.value.code == "not_enough_seats" and error.value.is_conflict


def test_the_api_finds_the_best_seats_for_anyone(client, showtime):
    four = client.get(f"/api/sessions/{showtime.pk}/best-seats?count=4")
    three = client.get(f"/api/sessions/{showtime.pk}/best-seats?count=3")

    assert four.status_code == 200
    assert four.json() == {
        "seats": [
            {"id": pk, "label": label}
            for pk, label in zip(
                seat_ids(showtime, "B5", "B6", "B7", "B8"), ["B5", "B6", "B7", "B8"], strict=True
            )
        ],
        "together": True,
    }
    # Three together would strand a seat in every run of four: B3–B4 whole, and C4 by the aisle.
    assert [seat["label"] for seat in three.json()["seats"]] == ["B3", "B4", "C4"]
    assert three.json()["together"] is False


@pytest.mark.parametrize("query", ["", "?count=0", "?count=11", "?count=x", "?count=99999999999999999999"])
def test_the_api_refuses_a_bad_count(client, showtime, query):
    response = client.get(f"/api/sessions/{showtime.pk}/best-seats{query}")

    assert response.status_code == 400
    assert "count" in response.json()


def test_the_api_says_409_when_there_are_not_enough_seats(client, showtime):
    small = ShowtimeFactory(room=RoomFactory(layout=["SS"]))

    response = client.get(f"/api/sessions/{small.pk}/best-seats?count=3")

    assert response.status_code == 409 and response.json()["code"] == "not_enough_seats"


def test_the_api_holds_by_count_and_refuses_an_orphan_with_a_suggestion(orphan_rule, customer, showtime):
    api = api_client(customer)

    by_count = api.post("/api/holds", {"session": showtime.pk, "count": 2}, format="json")
    assert by_count.status_code == 201
    assert [seat["label"] for seat in by_count.json()["seats"]] == ["B3", "B4"]

    orphan = api.post(
        "/api/holds", {"session": showtime.pk, "seats": seat_ids(showtime, "A2", "A3")}, format="json"
    )
    assert orphan.status_code == 400
    assert orphan.json()["code"] == "orphan_seat"
    # The new hold would replace the one of B3–B4, so they count as free.
    assert labels_of(showtime, orphan.json()["suggested"]) == ["B3", "B4"]

    both = api.post("/api/holds", {"session": showtime.pk, "count": 2, "seats": [1]}, format="json")
    assert both.status_code == 400


def test_the_page_ticks_the_best_seats_without_javascript(client, customer, showtime):
    client.force_login(customer)
    url = reverse("bookings:seat-map", args=[showtime.pk])

    page = client.get(url, {"best": 2}).content.decode()

    assert "The best 2 seats: B3, B4" in page
    assert 'aria-label="Seat B3" checked' in page and 'aria-label="Seat B4" checked' in page
    response = client.post(url, {"seats": seat_ids(showtime, "B3", "B4")})
    hold = Hold.objects.get()
    assert response.status_code == 302 and response["Location"] == hold.get_absolute_url()


def test_the_page_says_when_the_best_seats_cannot_be_found(client, showtime):
    url = reverse("bookings:seat-map", args=[showtime.pk])

    too_many = client.get(url, {"best": 40}).content.decode()
    assert "At most 10 seats at once." in too_many

    small = ShowtimeFactory(room=RoomFactory(layout=["SS"]))
    assert (
        "There are not 3 seats free"
        in client.get(reverse("bookings:seat-map", args=[small.pk]), {"best": 3}).content.decode()
    )


def test_the_page_explains_an_orphan_refusal_and_offers_the_suggestion(
    orphan_rule, client, customer, showtime
):
    client.force_login(customer)
    url = reverse("bookings:seat-map", args=[showtime.pk])

    page = client.post(url, {"seats": seat_ids(showtime, "A2", "A3")}).content.decode()

    assert "would leave a single seat on its own" in page
    suggested = "&amp;".join(f"seats={pk}" for pk in seat_ids(showtime, "B3", "B4"))
    assert f'href="{url}?{suggested}"' in page
    assert "Tick B3, B4 instead" in page
    assert not Hold.objects.exists()


def test_the_api_finds_the_best_seats_within_the_query_budget(client, showtime, django_assert_num_queries):
    url = f"/api/sessions/{showtime.pk}/best-seats?count=2"

    # the showtime; the seats with whether each is taken
    with django_assert_num_queries(2):
        assert client.get(url).status_code == 200
    # the showtime; its seats come from the cache
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200
