"""Racing clients through the API on PostgreSQL, each thread with its own connection."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connection

from accounts.tests.factories import UserFactory
from bookings.models import Ticket
from cinema.tests.clients import api_client
from theaters.tests.factories import RoomFactory, ShowtimeFactory

CLIENTS = 30

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(bodies: list[dict], users) -> list[int]:
    clients = [api_client(user) for user in users]
    start = Barrier(len(bodies))

    def post(i: int) -> int:
        try:
            start.wait()
            return clients[i].post("/api/bookings", bodies[i], format="json").status_code
        finally:
            connection.close()  # each thread opened its own

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(post, range(len(bodies))))


def test_of_thirty_clients_racing_for_one_seat_exactly_one_wins():
    showtime = ShowtimeFactory(room=RoomFactory(rows=5, seats_per_row=10))
    seat = showtime.room.seats.first()
    users = UserFactory.create_batch(CLIENTS)

    statuses = race([{"session": showtime.pk, "seats": [seat.pk]}] * CLIENTS, users)

    assert sorted(statuses) == [201] + [409] * (CLIENTS - 1)
    assert Ticket.objects.filter(showtime=showtime, active=True).count() == 1


def test_thirty_clients_booking_distinct_seats_all_win():
    showtime = ShowtimeFactory(room=RoomFactory(rows=5, seats_per_row=10))
    seats = list(showtime.room.seats.all()[:CLIENTS])
    users = UserFactory.create_batch(CLIENTS)

    statuses = race([{"session": showtime.pk, "seats": [seat.pk]} for seat in seats], users)

    assert statuses == [201] * CLIENTS
    assert Ticket.objects.filter(showtime=showtime, active=True).count() == CLIENTS
