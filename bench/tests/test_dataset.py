from __future__ import annotations

import json

import pytest
from django.db.models import Count, Q

from accounts.models import User
from bench import dataset
from bench.box_office import one_seat_bodies
from bookings.models import Booking, BookingStatus, Ticket, seats_sold
from bookings.services import booking_create
from theaters.models import Showtime

pytestmark = pytest.mark.postgres  # COPY


@pytest.fixture
def data(db) -> dataset.DataSet:
    return dataset.load(future_showtimes=20, past_days=2, users=5, bookings=300)


def test_it_loads_the_asked_number_of_bookings_with_consistent_tickets(data):
    assert Booking.objects.count() == 300
    for booking in Booking.objects.annotate(seats=Count("tickets")).select_related("showtime"):
        assert booking.total_price == booking.showtime.price * booking.seats
        tickets = booking.tickets.all()
        if booking.status == BookingStatus.CANCELLED:
            assert all(
                not t.active
                and t.released_at == booking.cancelled_at
                and t.released_because == "booking_cancelled"
                for t in tickets
            )
        else:
            assert all(t.active and t.showtime_id == booking.showtime_id for t in tickets)


def test_the_seat_map_is_the_300_seat_room_with_40_percent_sold_and_still_bookable(data):
    showtime = (
        Showtime.objects.annotate(seats_sold=seats_sold())
        .select_related("room")
        .get(pk=data.seat_map_showtime)
    )

    assert showtime.room.capacity == 300
    assert showtime.is_bookable()
    assert 0.35 <= showtime.seats_sold / 300 <= 0.41  # cancelled bookings gave some back


def test_free_seats_leave_out_taken_seats_and_the_reserved_showtimes(data):
    pairs = dataset.free_seats(data)

    taken = set(Ticket.objects.filter(active=True).values_list("showtime_id", "seat_id"))
    assert pairs and not set(pairs) & taken
    assert len(pairs) == len(set(pairs))
    assert not {showtime for showtime, _ in pairs} & {data.seat_map_showtime, data.race_showtime}
    # Consecutive requests go to different showtimes.
    assert pairs[0][0] != pairs[1][0]


def test_race_seats_are_free_seats_of_the_race_showtime(data):
    seats = dataset.race_seats(data, 20)

    assert len(seats) == 20
    assert not Ticket.objects.filter(showtime_id=data.race_showtime, seat_id__in=seats, active=True).exists()


def test_booking_codes_are_unique_and_use_the_unambiguous_alphabet(data):
    codes = list(Booking.objects.values_list("code", flat=True))

    assert len(set(codes)) == len(codes)
    assert all(len(code) == 8 and not set(code) & set("01IO") for code in codes)
    assert Booking.objects.filter(~Q(user__email__endswith="@bench.local")).count() == 0


def test_one_seat_bodies_keep_every_customer_within_their_seats_per_showtime(data):
    # 15 seats of each of 20 showtimes, dealt to two customers who already have some.
    pairs = dataset.free_seats(data, limit=300)
    customers = sorted(data.customer_ids)[:2]
    users = {user.pk: user for user in User.objects.filter(pk__in=customers)}
    showtimes = Showtime.objects.select_related("movie", "room").in_bulk({showtime for showtime, _ in pairs})

    bodies = one_seat_bodies(pairs, customers)

    assert len(bodies) > len(pairs) // 2
    for index, body in bodies:
        request = json.loads(body)
        booking_create(  # raises customer_limit if the load would meet it
            user=users[customers[index]], showtime=showtimes[request["session"]], seat_ids=request["seats"]
        )
