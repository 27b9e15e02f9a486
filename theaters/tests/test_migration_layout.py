"""theaters/0006: existing rooms become all-standard rectangles, their seat ids kept."""

from __future__ import annotations

import pytest

BEFORE = [("theaters", "0005_showtime_prices")]
AFTER = [("theaters", "0006_seat_layout")]


@pytest.mark.django_db(transaction=True)
def test_existing_seats_keep_their_ids_as_standard_seats_in_their_numbers_column(migrate):
    apps = migrate(BEFORE)
    Room, Seat = apps.get_model("theaters", "Room"), apps.get_model("theaters", "Seat")
    room = Room.objects.create(name="Old", capacity=6)
    old = {
        Seat.objects.create(room=room, row=row, number=number).pk: (row, number)
        for row in "AB"
        for number in (1, 2, 3)
    }

    apps = migrate(AFTER)

    seats = apps.get_model("theaters", "Seat").objects.filter(room_id=room.pk)
    after = {seat.pk: (seat.row, seat.number, seat.column, seat.kind, seat.blocked) for seat in seats}
    assert after == {pk: (row, number, number, "standard", False) for pk, (row, number) in old.items()}
    assert apps.get_model("theaters", "Room").objects.get(pk=room.pk).capacity == 6
