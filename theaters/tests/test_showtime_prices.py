"""A showtime's prices: fixed when it is scheduled (card, then `price`, then `prices`),
edited since by staff; sold tickets keep theirs."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bookings.tests.factories import make_booking
from cinema.tests.clients import api_client
from movies.tests.factories import MovieFactory
from pricing.models import PriceCard, TicketType
from pricing.tests.factories import price_card
from theaters.models import Showtime, ShowtimePrice
from theaters.services import ScheduleError, showtime_schedule, showtime_update
from theaters.tests.factories import RoomFactory

pytestmark = pytest.mark.django_db

D = Decimal


def next_weekday(iso: int, hour: int) -> datetime:
    """The next local `iso` weekday (1 = Monday) at least two days ahead, at `hour`:00."""
    day = timezone.localdate() + timedelta(days=2)
    day += timedelta(days=(iso - day.isoweekday()) % 7)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def prices_of(showtime: Showtime) -> dict[str, Decimal]:
    return dict(ShowtimePrice.objects.filter(showtime=showtime).values_list("ticket_type__code", "price"))


STANDARD = {"adult": D("9.50"), "child": D("6.50"), "senior": D("7.00"), "student": D("7.50")}


def tickets_of(booking) -> list[tuple[str, Decimal]]:
    return [(t.ticket_type.code, t.price) for t in booking.held_tickets()]


def schedule(starts_at, **prices) -> Showtime:
    return showtime_schedule(movie=MovieFactory(), room=RoomFactory(), starts_at=starts_at, **prices)


def test_the_card_covering_the_start_prices_every_type():
    price_card("Matinee", prices={"adult": "7.50", "child": "5.50"}, starts_before=time(17), priority=10)

    matinee = schedule(next_weekday(3, 14))
    evening = schedule(next_weekday(3, 20))

    assert prices_of(matinee) == {
        "adult": D("7.50"),
        "child": D("5.50"),
    }  # a showtime offers what its card prices
    assert matinee.price == D("7.50")
    assert prices_of(evening) == {
        "adult": D("9.50"),
        "child": D("6.50"),
        "senior": D("7.00"),
        "student": D("7.50"),
    }


def test_an_explicit_price_overrides_the_cards_adult_price_and_explicit_prices_override_both():
    showtime = schedule(
        next_weekday(3, 20), price=D("12.00"), prices={"child": D("8.00"), "adult": D("11.00")}
    )

    assert prices_of(showtime) == {
        "adult": D("11.00"),
        "child": D("8.00"),
        "senior": D("7.00"),
        "student": D("7.50"),
    }
    assert showtime.price == D("11.00")  # always the adult one


def test_without_a_covering_card_the_adult_price_must_be_given():
    PriceCard.objects.all().delete()

    with pytest.raises(ScheduleError) as refusal:
        schedule(next_weekday(3, 20), prices={"child": D("5")})
    showtime = schedule(next_weekday(4, 20), price=D("10"), prices={"child": D("5")})

    assert (refusal.value.code, refusal.value.field) == ("adult_price_required", "price")
    assert prices_of(showtime) == {"adult": D("10"), "child": D("5")}


def test_an_unknown_or_inactive_type_is_refused():
    TicketType.objects.filter(code="student").update(active=False)

    for code in ("martian", "student"):
        with pytest.raises(ScheduleError) as refusal:
            schedule(next_weekday(3, 20), prices={code: D("5")})
        assert refusal.value.code == "unknown_ticket_type"
    assert not Showtime.objects.exists()


def test_a_price_edit_after_bookings_applies_to_new_tickets_only(customer, other_customer):
    showtime = schedule(next_weekday(3, 20), price=D("10"))
    sold = make_booking(user=customer, showtime=showtime, labels=["A1", "A2"], types={"A2": "child"})

    showtime_update(showtime=showtime, price=D("12"), prices={"child": D("7"), "senior": None})
    later = make_booking(user=other_customer, showtime=showtime, labels=["B1", "B2"], types={"B2": "child"})

    sold.refresh_from_db()
    assert [(t.ticket_type.code, t.price) for t in sold.held_tickets()] == [
        ("adult", D("10")),
        ("child", D("6.50")),
    ]
    assert sold.total_price == D("16.50")
    assert [(t.ticket_type.code, t.price) for t in later.held_tickets()] == [
        ("adult", D("12")),
        ("child", D("7")),
    ]
    assert prices_of(showtime) == {"adult": D("12"), "child": D("7"), "student": D("7.50")}  # senior stopped
    assert Showtime.objects.get(pk=showtime.pk).price == D("12")


def test_the_adult_price_cannot_be_removed():
    showtime = schedule(next_weekday(3, 20))

    with pytest.raises(ScheduleError, match="adult price"):
        showtime_update(showtime=showtime, prices={"adult": None})


def test_showtime_price_is_always_the_adult_price_after_any_change():
    showtime = schedule(next_weekday(3, 20))
    showtime_update(showtime=showtime, prices={"adult": D("8.25")})
    showtime_update(showtime=showtime, price=D("8.75"), prices={"child": D("4")})

    for kept in Showtime.objects.all():
        assert kept.price == prices_of(kept)["adult"]
    assert Showtime.objects.get(pk=showtime.pk).price == D("8.75")


def test_the_api_schedules_with_prices_and_lists_them_in_type_order(staff):
    movie, room = MovieFactory(), RoomFactory()
    body = {
        "movie": movie.pk,
        "room": room.pk,
        "starts_at": next_weekday(3, 20).isoformat(),
        "prices": [{"ticket_type": "student", "price": "6.00"}, {"ticket_type": "adult", "price": "10.00"}],
    }

    response = api_client(staff).post("/api/sessions", body, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["price"] == "10.00"
    assert response.json()["prices"] == [
        {"ticket_type": "adult", "name": "Adult", "price": "10.00"},
        {"ticket_type": "child", "name": "Child", "price": "6.50"},
        {"ticket_type": "senior", "name": "Senior", "price": "7.00"},
        {"ticket_type": "student", "name": "Student", "price": "6.00"},
    ]


def test_the_api_refuses_an_unknown_ticket_type_with_its_code(staff):
    body = {
        "movie": MovieFactory().pk,
        "room": RoomFactory().pk,
        "starts_at": next_weekday(3, 20).isoformat(),
        "prices": [{"ticket_type": "martian", "price": "6.00"}],
    }

    response = api_client(staff).post("/api/sessions", body, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "unknown_ticket_type" and "martian" in response.json()["detail"]
    assert not Showtime.objects.exists()


def test_the_api_patches_prices(staff, customer):
    showtime = schedule(next_weekday(3, 20))
    make_booking(user=customer, showtime=showtime, labels=["A1"])

    response = api_client(staff).patch(
        f"/api/sessions/{showtime.pk}", {"prices": [{"ticket_type": "child", "price": "4.00"}]}, format="json"
    )

    assert response.status_code == 200
    assert {p["ticket_type"]: p["price"] for p in response.json()["prices"]}["child"] == "4.00"
    assert showtime.tickets.get().price == D("9.50")
