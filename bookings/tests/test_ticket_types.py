"""Tickets of several types: the booking services, the API and the checkout page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from bookings.models import Booking, Hold, Ticket
from bookings.services import (
    BookingError,
    booking_change_seats,
    booking_create,
    booking_create_from_hold,
    hold_create,
)
from bookings.tests.factories import make_booking, seat_ids
from cinema.tests.clients import api_client
from theaters.models import Showtime
from theaters.services import showtime_update
from theaters.tests.factories import ShowtimeFactory

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def showtime():
    """Adult 10, child 6, senior 7; no student tickets."""
    return ShowtimeFactory(price=D("10.00"), prices={"child": D("6.00"), "senior": D("7.00")})


def sold(booking: Booking) -> list[tuple[str, str, Decimal]]:
    return [(t.seat.label, t.ticket_type.code, t.price) for t in booking.held_tickets()]


def test_each_ticket_stores_its_type_and_price_and_the_total_is_their_sum(customer, showtime):
    booking = make_booking(
        user=customer, showtime=showtime, labels=["A1", "A2", "A3"], types={"A2": "child", "A3": "senior"}
    )

    assert sold(booking) == [
        ("A1", "adult", D("10.00")),
        ("A2", "child", D("6.00")),
        ("A3", "senior", D("7.00")),
    ]
    assert Booking.objects.get(pk=booking.pk).total_price == D("23.00")


def test_children_alone_are_refused_with_nothing_written(customer, showtime):
    with pytest.raises(BookingError) as refusal:
        make_booking(
            user=customer, showtime=showtime, labels=["A1", "A2"], types={"A1": "child", "A2": "child"}
        )

    assert refusal.value.code == "adult_required" and not refusal.value.is_conflict
    assert "Child tickets are sold only with an adult" in refusal.value.message
    assert not Booking.objects.exists()


def test_a_type_the_showtime_does_not_offer_is_refused(customer, showtime):
    for code in ("student", "martian"):
        with pytest.raises(BookingError) as refusal:
            make_booking(user=customer, showtime=showtime, labels=["A1"], types={"A1": code})
        assert refusal.value.code == "unknown_ticket_type"
    assert not Ticket.objects.exists()


def test_a_change_keeps_kept_seats_types_and_prices_and_new_seats_are_adult_now(customer, showtime):
    booking = make_booking(user=customer, showtime=showtime, labels=["A1", "A2"], types={"A2": "child"})
    showtime_update(showtime=showtime, price=D("12.00"), prices={"child": D("8.00")})

    changed = booking_change_seats(
        booking=booking, seat_ids=seat_ids(showtime, "A2", "A3", "A4"), by=customer
    )

    assert sold(changed) == [
        ("A2", "child", D("6.00")),
        ("A3", "adult", D("12.00")),
        ("A4", "adult", D("12.00")),
    ]
    assert changed.total_price == D("30.00")


def test_a_change_that_leaves_only_children_is_refused(customer, showtime):
    booking = make_booking(user=customer, showtime=showtime, labels=["A1", "A2"], types={"A2": "child"})

    with pytest.raises(BookingError) as refusal:
        booking_change_seats(booking=booking, seat_ids=seat_ids(showtime, "A2"), by=customer)

    assert refusal.value.code == "adult_required"
    assert Booking.objects.get(pk=booking.pk).seat_labels() == ["A1", "A2"]


def test_a_hold_is_booked_with_the_types_named_for_its_seats(customer, showtime):
    hold = hold_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "B1", "B2"))
    b1, b2 = seat_ids(showtime, "B1", "B2")

    booking = booking_create_from_hold(hold=hold, by=customer, ticket_types={b2: "senior"})

    assert sold(booking) == [("B1", "adult", D("10.00")), ("B2", "senior", D("7.00"))]


def test_a_hold_refuses_types_for_seats_it_does_not_hold(customer, showtime):
    hold = hold_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "B1"))

    with pytest.raises(BookingError) as refusal:
        booking_create_from_hold(hold=hold, by=customer, ticket_types={seat_ids(showtime, "C1")[0]: "child"})

    assert refusal.value.code == "seat_not_held"
    assert Hold.objects.get(pk=hold.pk).is_active()


# The API


def test_the_api_books_tickets_of_several_types(customer, showtime):
    a1, a2 = seat_ids(showtime, "A1", "A2")
    body = {"session": showtime.pk, "tickets": [{"seat": a1}, {"seat": a2, "ticket_type": "child"}]}

    response = api_client(customer).post("/api/bookings", body, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["seats"] == [
        {"id": a1, "label": "A1", "ticket_type": "adult", "price": "10.00"},
        {"id": a2, "label": "A2", "ticket_type": "child", "price": "6.00"},
    ]
    assert response.json()["total_price"] == "16.00"


@pytest.mark.parametrize(
    ("tickets", "code"),
    [([("A1", "child")], "adult_required"), ([("A1", None), ("A2", "student")], "unknown_ticket_type")],
)
def test_the_api_refuses_with_the_code(customer, showtime, tickets, code):
    body = {
        "session": showtime.pk,
        "tickets": [
            {"seat": seat_ids(showtime, label)[0], **({"ticket_type": kind} if kind else {})}
            for label, kind in tickets
        ],
    }

    response = api_client(customer).post("/api/bookings", body, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert not Booking.objects.exists()


def test_the_api_books_a_hold_with_tickets(customer, showtime):
    hold = hold_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "C1", "C2"))
    c2 = seat_ids(showtime, "C2")[0]

    response = api_client(customer).post(
        "/api/bookings", {"hold": hold.pk, "tickets": [{"seat": c2, "ticket_type": "child"}]}, format="json"
    )

    assert response.status_code == 201
    assert [s["ticket_type"] for s in response.json()["seats"]] == ["adult", "child"]


def test_the_api_changes_seats_with_tickets_typing_the_new_ones(customer, showtime):
    booking = make_booking(user=customer, showtime=showtime, labels=["A1"])
    a1, a2 = seat_ids(showtime, "A1", "A2")
    body = {"tickets": [{"seat": a1, "ticket_type": "senior"}, {"seat": a2, "ticket_type": "child"}]}

    response = api_client(customer).patch(f"/api/bookings/{booking.pk}", body, format="json")

    assert response.status_code == 200
    # A1 is kept: it keeps its type and price, whatever the body says of it.
    assert [(s["label"], s["ticket_type"], s["price"]) for s in response.json()["seats"]] == [
        ("A1", "adult", "10.00"),
        ("A2", "child", "6.00"),
    ]
    assert response.json()["total_price"] == "16.00"


def test_the_api_refuses_seats_and_tickets_together(customer, showtime):
    a1 = seat_ids(showtime, "A1")[0]

    response = api_client(customer).post(
        "/api/bookings", {"session": showtime.pk, "seats": [a1], "tickets": [{"seat": a1}]}, format="json"
    )

    assert response.status_code == 400


def test_a_session_lists_its_prices_in_type_order(showtime):
    response = api_client().get(f"/api/sessions/{showtime.pk}")

    assert response.json()["prices"] == [
        {"ticket_type": "adult", "name": "Adult", "price": "10.00"},
        {"ticket_type": "child", "name": "Child", "price": "6.00"},
        {"ticket_type": "senior", "name": "Senior", "price": "7.00"},
    ]


# The checkout page


def checkout(client, customer, showtime, *labels):
    hold = hold_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, *labels))
    client.force_login(customer)
    return hold, reverse("bookings:checkout", args=[hold.pk])


def test_the_checkout_offers_the_sessions_types_defaulting_to_all_adult(client, customer, showtime):
    _hold, url = checkout(client, customer, showtime, "D1", "D2", "D3")

    html = client.get(url).content.decode()

    assert 'name="adult" value="3"' in html and 'name="child" value="0"' in html and 'name="senior"' in html
    assert 'name="student"' not in html  # not offered by this showtime
    assert "30.00" in html and "Child (€6.00 each)" in html


def test_the_checkout_books_the_chosen_types_in_seat_order(client, customer, showtime):
    _hold, url = checkout(client, customer, showtime, "D1", "D2", "D3")

    response = client.post(url, {"action": "confirm", "adult": "2", "child": "1", "senior": "0"})

    booking = Booking.objects.get()
    assert response.url == booking.get_absolute_url()
    assert sold(booking) == [
        ("D1", "adult", D("10.00")),
        ("D2", "adult", D("10.00")),
        ("D3", "child", D("6.00")),
    ]
    detail = client.get(booking.get_absolute_url()).content.decode()
    assert "D3: Child €6.00" in detail and "26.00" in detail


def test_the_checkout_refuses_children_alone_on_the_form(client, customer, showtime):
    hold, url = checkout(client, customer, showtime, "D1")

    response = client.post(url, {"action": "confirm", "adult": "0", "child": "1", "senior": "0"})

    assert response.status_code == 200
    assert "Child tickets are sold only with an adult ticket" in response.content.decode()
    assert not Booking.objects.exists() and Hold.objects.get(pk=hold.pk).is_active()


def test_the_checkout_refuses_counts_that_do_not_match_the_seats(client, customer, showtime):
    _hold, url = checkout(client, customer, showtime, "D1", "D2")

    response = client.post(url, {"action": "confirm", "adult": "1", "child": "0", "senior": "0"})

    assert "Choose a ticket type for each of your 2 seats (1 chosen)." in response.content.decode()
    assert not Booking.objects.exists()


def test_the_checkout_shows_the_chosen_lines_and_total_again_after_a_refusal(client, customer, showtime):
    _hold, url = checkout(client, customer, showtime, "D1", "D2")

    html = client.post(url, {"action": "confirm", "adult": "0", "child": "2", "senior": "0"}).content.decode()

    assert "<td>D1</td><td data-line-type>Child</td>" in html and "12.00" in html


# Prices shown


def test_whats_on_and_the_movie_page_say_from_the_lowest_price(client, showtime):
    whats_on = client.get(reverse("bookings:whats-on"), {"day": showtime.starts_at.date().isoformat()})
    movie = client.get(reverse("bookings:movie-detail", args=[showtime.movie_id]))

    assert "from €6.00" in whats_on.content.decode()
    assert "Tickets from €6.00" in movie.content.decode()


def test_the_seat_map_lists_the_prices(client, showtime):
    html = client.get(reverse("bookings:seat-map", args=[showtime.pk])).content.decode()

    assert "<li>Adult €10.00</li>" in html and "Child €6.00" in html and "Senior €7.00" in html


def test_a_price_change_shows_on_a_seat_map_already_cached(client, showtime):
    url = reverse("bookings:seat-map", args=[showtime.pk])
    client.get(url)  # caches its seats and prices for its version

    showtime_update(showtime=showtime, prices={"child": D("4.50")})

    assert "Child €4.50" in client.get(url).content.decode()


def test_the_change_page_reviews_the_new_total_and_the_difference_before_changing(client, customer, showtime):
    booking = make_booking(user=customer, showtime=showtime, labels=["A1", "A2"], types={"A2": "child"})
    client.force_login(customer)
    url = reverse("bookings:booking-change", args=[booking.code])

    review = client.post(url, {"seats": seat_ids(showtime, "A2", "A3", "A4"), "action": "review"})

    html = review.content.decode()
    assert 'Current total</th><td class="text-end">€16.00' in html
    assert "€26.00" in html and "+€10.00" in html
    assert Booking.objects.get(pk=booking.pk).seat_labels() == ["A1", "A2"]  # nothing changed yet
    client.post(url, {"seats": seat_ids(showtime, "A2", "A3", "A4"), "action": "confirm"})
    assert Booking.objects.get(pk=booking.pk).total_price == D("26.00")


def test_the_review_refuses_a_change_the_service_would_refuse(client, customer, showtime):
    # Keeping only the child's seat leaves no adult: refused at the review, not after it.
    booking = make_booking(user=customer, showtime=showtime, labels=["A1", "A2"], types={"A2": "child"})
    client.force_login(customer)
    url = reverse("bookings:booking-change", args=[booking.code])

    review = client.post(url, {"seats": seat_ids(showtime, "A2"), "action": "review"})

    html = review.content.decode()
    assert "Child tickets are sold only with an adult ticket in the same booking." in html
    assert "Current total" not in html and "Confirm change" not in html
    assert Booking.objects.get(pk=booking.pk).seat_labels() == ["A1", "A2"]


def test_a_review_of_no_seats_is_the_services_refusal(client, customer, showtime):
    booking = make_booking(user=customer, showtime=showtime, labels=["A1"])
    client.force_login(customer)
    url = reverse("bookings:booking-change", args=[booking.code])

    html = client.post(url, {"seats": [], "action": "review"}).content.decode()

    assert "Choose at least one seat." in html
    assert Booking.objects.get(pk=booking.pk).seat_labels() == ["A1"]


def test_my_bookings_show_the_ticket_types(client, customer, showtime):
    make_booking(user=customer, showtime=showtime, labels=["A1", "A2"], types={"A2": "child"})
    client.force_login(customer)

    html = client.get(reverse("bookings:booking-list")).content.decode()

    assert "1 Adult, 1 Child" in html


def test_a_booking_with_types_is_made_by_the_service_directly_too(customer, showtime):
    booking = booking_create(
        user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "E1", "E2"), ticket_types={}
    )
    assert [code for _label, code, _price in sold(booking)] == ["adult", "adult"]


def test_a_booking_after_a_price_change_pays_the_new_price_however_stale_its_showtime(
    customer, other_customer, showtime
):
    make_booking(user=customer, showtime=showtime, labels=["A1"])  # its prices now cached
    read_before = Showtime.objects.get(pk=showtime.pk)
    showtime_update(showtime=showtime, price=D("13.00"))

    stale = booking_create(user=other_customer, showtime=read_before, seat_ids=seat_ids(showtime, "B1"))
    fresh = make_booking(user=other_customer, showtime=Showtime.objects.get(pk=showtime.pk), labels=["B2"])

    assert stale.total_price == fresh.total_price == D("13.00")
