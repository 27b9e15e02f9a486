from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from theaters.models import Room

pytestmark = pytest.mark.django_db


def test_create_room_makes_the_grid(capsys):
    call_command("create_room", "IMAX", "--rows", "3", "--seats-per-row", "5")

    assert Room.objects.get(name="IMAX").seats.count() == 15
    assert "15 seats" in capsys.readouterr().out


def test_create_room_refuses_bad_arguments_with_a_usage_error():
    with pytest.raises(CommandError, match="1 to 26 rows"):
        call_command("create_room", "Huge", "--rows", "40", "--seats-per-row", "5")
    with pytest.raises(CommandError):
        call_command("create_room", "Huge", "--rows", "many", "--seats-per-row", "5")
