from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.http import HttpRequest

from accounts.models import User
from bookings.models import Booking, Ticket
from movies.models import Movie
from theaters.models import Room, Seat, Showtime

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (User, Movie, Room, Seat, Showtime, Booking, Ticket)
    }


def test_seed_demo_twice_gives_the_same_data(capsys):
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")

    assert counts() == first
    assert first["Room"] == 3 and first["Movie"] == 8
    assert Room.objects.filter(capacity__gte=300).exists()
    assert first["Showtime"] > 100 and first["Booking"] > 0
    out = capsys.readouterr().out
    assert "admin@cinema.local" in out and "moviegoer@cinema.local" in out


def test_seed_demo_logins_work(client):
    call_command("seed_demo", verbosity=0)

    # django-axes needs the request that a real login has.
    assert client.login(request=HttpRequest(), username="admin@cinema.local", password="cinema-admin-2026")
    assert client.get("/admin/").status_code == 200
    assert client.login(request=HttpRequest(), username="moviegoer@cinema.local", password="cinema-demo-2026")


def test_seed_demo_showtimes_never_overlap():
    call_command("seed_demo", verbosity=0)

    for showtime in Showtime.objects.all():
        clash = Showtime.objects.overlapping(
            room=showtime.room, starts_at=showtime.starts_at, room_free_at=showtime.room_free_at
        ).exclude(pk=showtime.pk)
        assert not clash.exists()


def test_create_room_makes_the_grid(capsys):
    call_command("create_room", "IMAX", "--rows", "3", "--seats-per-row", "5")

    assert Room.objects.get(name="IMAX").seats.count() == 15
    assert "15 seats" in capsys.readouterr().out


def test_create_room_refuses_bad_arguments_with_a_usage_error():
    with pytest.raises(CommandError, match="1 to 26 rows"):
        call_command("create_room", "Huge", "--rows", "40", "--seats-per-row", "5")
    with pytest.raises(CommandError):
        call_command("create_room", "Huge", "--rows", "many", "--seats-per-row", "5")
