from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone
from rest_framework.serializers import ModelSerializer

from bookings.api.serializers import BookingSerializer
from bookings.models import Booking, BookingStatus
from bookings.services import booking_cancel, booking_change_seats
from bookings.tests.factories import make_booking, seat_ids
from cinema.tests.clients import api_client
from theaters.models import ShowtimeStatus
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = pytest.mark.django_db

BOOKING_FIELDS = {
    "id",
    "checked_in_at",
    "currency",
    "code",
    "session",
    "movie_title",
    "room_name",
    "starts_at",
    "seats",
    "status",
    "total_price",
    "created_at",
    "user",
}


def book(user, showtime, *labels: str, seats: list[int] | None = None):
    body = {"session": showtime.pk, "seats": seat_ids(showtime, *labels) if seats is None else seats}
    return api_client(user).post("/api/bookings", body, format="json")


def soon():
    """A session inside the change cut-off."""
    return ShowtimeFactory(starts_at=timezone.now() + timedelta(minutes=10))


def test_a_user_books_seats(customer):
    showtime = ShowtimeFactory()

    response = book(customer, showtime, "B2", "B1")

    body = response.json()
    booking = Booking.objects.get()
    assert response.status_code == 201
    assert set(body) == BOOKING_FIELDS
    assert body["id"] == booking.pk
    assert body["code"] == booking.code
    assert body["session"] == showtime.pk
    assert body["room_name"] == showtime.room.name
    assert body["starts_at"] == showtime.starts_at.isoformat()
    assert [s["label"] for s in body["seats"]] == ["B1", "B2"]
    assert body["total_price"] == "25.00"
    assert body["status"] == "confirmed"
    assert body["user"] == customer.pk


def test_a_booking_makes_a_bounded_number_of_queries(customer, django_assert_num_queries):
    showtime = ShowtimeFactory()
    body = {"session": showtime.pk, "seats": seat_ids(showtime, *[f"A{n}" for n in range(1, 9)])}
    client = api_client(customer)

    # 1. the token's user, 2. the session with movie and room (validation), 3. its prices
    # (before the lock; cached by its prices_version once read), 4. savepoint (BEGIN outside
    # tests), 5. lock the session and bump its seats_version, 6. the seats with whether each
    # is sold or held, the customer's seats of the session already and their hold of each,
    # 7. insert the booking, 8. insert the tickets, 9. add them to the session's sales by
    # ticket type, 10. release (COMMIT outside tests); the answer is built from what is in memory
    with django_assert_num_queries(10):
        response = client.post("/api/bookings", body, format="json")
    assert response.status_code == 201


@pytest.mark.parametrize(
    "seats",
    [
        [],
        [f"A{n}" for n in range(1, 9)] + ["B1", "B2", "B3"],
        ["A1", "A1"],
    ],
    ids=["no seats", "more than 10", "a seat twice"],
)
def test_it_refuses_bad_seat_choices_with_400(customer, seats):
    showtime = ShowtimeFactory()

    response = book(customer, showtime, *seats)

    assert response.status_code == 400
    assert "detail" in response.json()
    assert not Booking.objects.exists()


def test_it_refuses_a_seat_of_another_room(customer):
    showtime = ShowtimeFactory()
    elsewhere = RoomFactory().seats.first()

    response = book(customer, showtime, seats=[elsewhere.pk])

    assert response.status_code == 400
    assert response.json()["code"] == "seat_not_in_room"


@pytest.mark.parametrize(
    "showtime",
    [
        lambda: ShowtimeFactory(status=ShowtimeStatus.CANCELLED),
        lambda: ShowtimeFactory(starts_at=timezone.now() - timedelta(minutes=1)),
    ],
    ids=["cancelled", "started"],
)
def test_it_refuses_a_session_not_bookable(customer, showtime):
    response = book(customer, showtime(), "A1")

    assert response.status_code == 400
    assert response.json()["code"] in {"session_cancelled", "session_started"}


def test_it_refuses_an_unknown_session(customer):
    response = api_client(customer).post("/api/bookings", {"session": 999999, "seats": [1]}, format="json")

    assert response.status_code == 400
    assert "session" in response.json()


def test_it_refuses_a_taken_seat_with_409_naming_it(customer, other_customer):
    showtime = ShowtimeFactory()
    make_booking(user=other_customer, showtime=showtime, labels=["A2"])

    response = book(customer, showtime, "A1", "A2")

    assert response.status_code == 409
    assert response.json()["code"] == "seats_unavailable"
    assert response.json()["seats"] == seat_ids(showtime, "A2")
    assert "detail" in response.json()


def test_a_user_lists_only_their_own_bookings_newest_first(customer, other_customer):
    showtime = ShowtimeFactory()
    older = make_booking(user=customer, showtime=showtime, labels=["A1"])
    newer = make_booking(user=customer, showtime=showtime, labels=["A2"])
    make_booking(user=other_customer, showtime=showtime, labels=["A3"])

    response = api_client(customer).get("/api/bookings")

    assert [b["id"] for b in response.json()["results"]] == [newer.pk, older.pk]
    assert set(response.json()["results"][0]) == BOOKING_FIELDS


def test_staff_list_every_booking_with_the_email_and_filter(staff, customer, other_customer):
    showtime, other = ShowtimeFactory(), ShowtimeFactory()
    mine = make_booking(user=customer, showtime=showtime, labels=["A1"])
    theirs = make_booking(user=other_customer, showtime=other, labels=["A1"])
    booking_cancel(booking=theirs, by=other_customer)
    client = api_client(staff)

    everything = client.get("/api/bookings").json()["results"]
    by_session = client.get("/api/bookings", {"session": showtime.pk}).json()["results"]
    by_user = client.get("/api/bookings", {"user": other_customer.pk}).json()["results"]
    cancelled = client.get("/api/bookings", {"status": "cancelled"}).json()["results"]

    assert {b["id"] for b in everything} == {mine.pk, theirs.pk}
    assert {b["user_email"] for b in everything} == {customer.email, other_customer.email}
    assert [b["id"] for b in by_session] == [mine.pk]
    assert [b["id"] for b in by_user] == [theirs.pk]
    assert [b["id"] for b in cancelled] == [theirs.pk]
    held_when_cancelled = {
        "id": seat_ids(other, "A1")[0],
        "label": "A1",
        "ticket_type": "adult",
        "price": "12.50",
    }
    assert cancelled[0]["seats"] == [held_when_cancelled]


def test_a_bad_status_filter_is_400(staff):
    assert api_client(staff).get("/api/bookings", {"status": "lost"}).status_code == 400


def test_the_list_makes_the_same_queries_whatever_the_page_size(staff, customer, django_assert_num_queries):
    for _ in range(6):
        make_booking(user=customer, showtime=ShowtimeFactory(), labels=["A1", "A2"])
    client = api_client(staff)

    # 1. the token's user, 2. count, 3. bookings with sessions, movies, rooms, users,
    # 4. their tickets and seats
    with django_assert_num_queries(4):
        response = client.get("/api/bookings")
    assert len(response.json()["results"]) == 6


def test_the_owner_and_staff_see_a_booking_and_nobody_else(customer, other_customer, staff):
    booking = make_booking(user=customer, showtime=ShowtimeFactory(), labels=["A1"])
    url = f"/api/bookings/{booking.pk}"

    assert api_client(customer).get(url).json()["code"] == booking.code
    assert "user_email" not in api_client(customer).get(url).json()
    assert api_client(staff).get(url).json()["user_email"] == customer.email
    assert api_client(other_customer).get(url).status_code == 404


@pytest.mark.parametrize("method", ["put", "patch"])
def test_the_owner_changes_the_seats(customer, method):
    showtime = ShowtimeFactory()
    booking = make_booking(user=customer, showtime=showtime, labels=["A1"])

    response = getattr(api_client(customer), method)(
        f"/api/bookings/{booking.pk}", {"seats": seat_ids(showtime, "C1", "C2")}, format="json"
    )

    assert response.status_code == 200
    assert [s["label"] for s in response.json()["seats"]] == ["C1", "C2"]
    assert response.json()["total_price"] == "25.00"


def test_a_change_to_taken_seats_is_409(customer, other_customer):
    showtime = ShowtimeFactory()
    booking = make_booking(user=customer, showtime=showtime, labels=["A1"])
    make_booking(user=other_customer, showtime=showtime, labels=["A2"])

    response = api_client(customer).patch(
        f"/api/bookings/{booking.pk}", {"seats": seat_ids(showtime, "A1", "A2")}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["seats"] == seat_ids(showtime, "A2")


def test_a_cancelled_booking_cannot_change_or_cancel_again(customer):
    showtime = ShowtimeFactory()
    booking = make_booking(user=customer, showtime=showtime, labels=["A1"])
    booking_cancel(booking=booking, by=customer)
    client = api_client(customer)

    changed = client.patch(f"/api/bookings/{booking.pk}", {"seats": seat_ids(showtime, "A3")}, format="json")
    cancelled = client.delete(f"/api/bookings/{booking.pk}")

    assert changed.status_code == cancelled.status_code == 409
    assert changed.json()["code"] == cancelled.json()["code"] == "booking_cancelled"


def test_after_the_cut_off_only_staff_change_or_cancel(customer, staff):
    showtime = soon()
    booking = make_booking(user=customer, showtime=showtime, labels=["A1"])
    url = f"/api/bookings/{booking.pk}"

    owner_change = api_client(customer).patch(url, {"seats": seat_ids(showtime, "A2")}, format="json")
    owner_cancel = api_client(customer).delete(url)
    staff_cancel = api_client(staff).delete(url)

    assert owner_change.status_code == owner_cancel.status_code == 400
    assert owner_cancel.json()["code"] == "change_cutoff_passed"
    assert staff_cancel.status_code == 204


def test_cancelling_keeps_the_booking_and_frees_its_seats(customer, other_customer):
    showtime = ShowtimeFactory()
    booking = make_booking(user=customer, showtime=showtime, labels=["A1"])

    response = api_client(customer).delete(f"/api/bookings/{booking.pk}")

    booking.refresh_from_db()
    assert response.status_code == 204
    assert booking.status == BookingStatus.CANCELLED
    assert api_client(customer).get(f"/api/bookings/{booking.pk}").json()["status"] == "cancelled"
    assert book(other_customer, showtime, "A1").status_code == 201


def test_someone_elses_booking_is_404_for_every_method(customer, other_customer):
    showtime = ShowtimeFactory()
    booking = make_booking(user=customer, showtime=showtime, labels=["A1"])
    client, url = api_client(other_customer), f"/api/bookings/{booking.pk}"

    assert client.patch(url, {"seats": seat_ids(showtime, "A2")}, format="json").status_code == 404
    assert client.delete(url).status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_bookings_need_a_token():
    assert api_client().get("/api/bookings").status_code == 401
    assert api_client().post("/api/bookings", {}, format="json").status_code == 401


@pytest.mark.parametrize("price", ["12.5", "0", "99999.99"])
def test_the_written_out_booking_matches_what_its_declared_fields_give(customer, staff, price, settings):
    settings.TIME_ZONE = "Pacific/Auckland"
    showtime = ShowtimeFactory(price=Decimal(price))
    booking = make_booking(user=customer, showtime=showtime, labels=["B2", "A1"])
    booking_change_seats(booking=booking, seat_ids=seat_ids(showtime, "A1", "C3"), by=customer)
    cancelled = make_booking(user=customer, showtime=showtime, labels=["D4"])
    booking_cancel(booking=cancelled, by=staff)

    for viewer in (customer, staff):
        request = SimpleNamespace(user=viewer)
        for read in Booking.objects.with_details().filter(showtime=showtime):
            serializer = BookingSerializer(read, context={"request": request})
            declared = ModelSerializer.to_representation(serializer, read)
            if not viewer.is_staff:
                del declared["user_email"]
            assert serializer.data == declared
