"""Rooms drawn as layouts: created and redrawn by the service, from the admin, the API
and create_room; seats that stay keep their ids, seats with tickets stay."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from bookings.models import Ticket
from bookings.tests.factories import make_booking
from cinema.tests.clients import api_client
from cinema.tests.test_admin_refusals import assert_refused_on_the_form
from theaters.layout import layout_lines
from theaters.models import Room, Seat, Showtime
from theaters.services import ScheduleError, room_change_layout, room_create, room_update
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = pytest.mark.django_db


def layout_of(room: Room) -> list[str]:
    return layout_lines(room.seats.order_by("row", "column").values_list("row", "column", "kind", "blocked"))


def ids_by_place(room: Room) -> dict[tuple[str, int], int]:
    return {(row, column): pk for pk, row, column in room.seats.values_list("pk", "row", "column")}


def test_a_room_from_a_layout_counts_only_sellable_seats():
    room = room_create(name="Studio", layout=["SS.SS", "WC.SX"])

    assert room.capacity == 7
    assert layout_of(room) == ["SS.SS", "WC.SX"]
    assert [s.label for s in room.seats.filter(row="A").order_by("column")] == ["A1", "A2", "A3", "A4"]
    assert room.seats.get(row="B", column=1).kind == "wheelchair"


def test_redrawing_keeps_the_ids_of_seats_that_stay_and_renumbers_them():
    room = RoomFactory(rows=2, seats_per_row=5)
    before = ids_by_place(room)

    room = room_change_layout(room=room, layout=["SS.SS", "WCSSX", "SSS"])

    after = ids_by_place(room)
    kept = {place: pk for place, pk in before.items() if place != ("A", 3)}
    assert {place: after[place] for place in kept} == kept
    assert ("A", 3) not in after
    assert room.seats.get(row="A", column=4).number == 3  # numbers skip the new aisle
    assert room.seats.get(pk=before[("B", 1)]).kind == "wheelchair"
    assert room.seats.get(pk=before[("B", 5)]).blocked
    assert room.capacity == 11 and Room.objects.get(pk=room.pk).capacity == 11
    assert layout_of(room) == ["SS.SS", "WCSSX", "SSS"]


def test_redrawing_refuses_to_remove_a_seat_with_tickets_and_changes_nothing(customer):
    showtime = ShowtimeFactory(room=RoomFactory(rows=1, seats_per_row=4))
    make_booking(user=customer, showtime=showtime, labels=["A3"])
    room = showtime.room

    with pytest.raises(ScheduleError) as error:
        room_change_layout(room=room, layout=["SS.S"])

    assert error.value.code == "seat_has_tickets" and error.value.is_conflict
    assert "A3 has tickets, so it cannot be removed" in error.value.message
    assert layout_of(room) == ["SSSS"]
    assert Ticket.objects.get().seat.label == "A3"


def test_changing_a_room_renames_and_redraws_it_or_neither(customer):
    showtime = ShowtimeFactory(room=RoomFactory(name="Studio", rows=1, seats_per_row=4))
    make_booking(user=customer, showtime=showtime, labels=["A3"])
    room = showtime.room

    with pytest.raises(ScheduleError):
        room_update(room=room, name="Salon", layout=["SS.S"])
    assert Room.objects.values_list("name", flat=True).get(pk=room.pk) == "Studio"

    room = room_update(room=Room.objects.get(pk=room.pk), name="Salon", layout=["SSSX"])
    room.refresh_from_db()
    assert (room.name, layout_of(room), room.capacity) == ("Salon", ["SSSX"], 3)


def test_a_seat_with_tickets_may_be_blocked_and_redrawing_redraws_the_seat_maps(customer):
    showtime = ShowtimeFactory(room=RoomFactory(rows=1, seats_per_row=4))
    make_booking(user=customer, showtime=showtime, labels=["A3"])
    version = Showtime.objects.get(pk=showtime.pk).seats_version

    room_change_layout(room=showtime.room, layout=["SSXS"])

    assert Showtime.objects.get(pk=showtime.pk).seats_version != version
    assert Ticket.objects.get(active=True).seat.blocked


def test_the_api_creates_a_room_from_a_layout(staff):
    response = api_client(staff).post(
        "/api/rooms", {"name": "Blue", "layout": ["SS.SS", "WC.SX"]}, format="json"
    )

    body = response.json()
    assert response.status_code == 201
    assert body["capacity"] == 7
    wheelchair = next(seat for seat in body["seats"] if seat["label"] == "B1")
    assert wheelchair == {**wheelchair, "kind": "wheelchair", "blocked": False, "column": 1}
    assert next(seat for seat in body["seats"] if seat["label"] == "B3")["column"] == 4


@pytest.mark.parametrize(
    ("layout", "fault"),
    [
        (["SS", "SZ"], "row B has “Z” (cell 2)"),
        (["SS", ""], "row B is empty"),
        (["S"] * 27, None),
        (["S" * 51], None),
        ("SSS", None),
    ],
)
def test_the_api_refuses_a_bad_layout_with_a_400(staff, layout, fault):
    response = api_client(staff).post("/api/rooms", {"name": "Blue", "layout": layout}, format="json")

    assert response.status_code == 400
    assert "layout" in response.json()
    if fault:
        assert fault in response.json()["layout"][0]
    assert not Room.objects.exists()


def test_the_api_redraws_a_room_and_refuses_to_remove_a_sold_seat(staff, customer):
    showtime = ShowtimeFactory(room=RoomFactory(name="Blue", rows=1, seats_per_row=4))
    make_booking(user=customer, showtime=showtime, labels=["A4"])
    url = f"/api/rooms/{showtime.room.pk}"

    refused = api_client(staff).patch(url, {"layout": ["SSS"]}, format="json")
    assert refused.status_code == 409
    assert refused.json()["code"] == "seat_has_tickets"
    assert layout_of(showtime.room) == ["SSSS"]

    redrawn = api_client(staff).patch(url, {"name": "Green", "layout": ["WCSS"]}, format="json")
    assert redrawn.status_code == 200
    assert redrawn.json()["name"] == "Green"
    assert [seat["kind"] for seat in redrawn.json()["seats"]] == [
        "wheelchair",
        "companion",
        "standard",
        "standard",
    ]


def test_the_admin_adds_a_room_from_its_layout(client, staff):
    client.force_login(staff)

    response = client.post(
        reverse("admin:theaters_room_add"), {"name": "Studio", "layout": "SS.SS\r\nWC.SS\r\n"}
    )

    assert response.status_code == 302
    assert layout_of(Room.objects.get(name="Studio")) == ["SS.SS", "WC.SS"]


def test_the_admin_shows_a_bad_layout_and_a_sold_seat_as_form_errors(client, staff, customer):
    client.force_login(staff)
    showtime = ShowtimeFactory(room=RoomFactory(name="Studio", rows=1, seats_per_row=3))
    make_booking(user=customer, showtime=showtime, labels=["A3"])
    url = reverse("admin:theaters_room_change", args=[showtime.room.pk])
    page = client.get(url).content.decode()
    assert "\nSSS</textarea>" in page

    bad = client.post(url, {"name": "Studio", "layout": "SSZ"})
    assert "row A has “Z” (cell 3)" in bad.context["adminform"].form.errors["layout"][0]

    refused = client.post(url, {"name": "Renamed", "layout": "SS"})
    assert_refused_on_the_form(
        refused, "A3 has tickets, so it cannot be removed: block it (X) instead.", field="layout"
    )
    room = Room.objects.get(pk=showtime.room.pk)
    assert room.name == "Studio" and layout_of(room) == ["SSS"]


def test_create_room_reads_a_layout_file(tmp_path, capsys):
    layout = tmp_path / "studio.txt"
    layout.write_text("..SSSS..\nSSS.SSS\nWCS.SCW\n", encoding="utf-8")

    call_command("create_room", "Studio", "--layout-file", str(layout))

    room = Room.objects.get(name="Studio")
    assert layout_of(room) == ["..SSSS", "SSS.SSS", "WCS.SCW"]
    assert "with 16 seats for sale in 3 rows" in capsys.readouterr().out


def test_create_room_names_the_faults_of_a_layout_file(tmp_path):
    layout = tmp_path / "studio.txt"
    layout.write_text("SS\nS?\n", encoding="utf-8")

    with pytest.raises(CommandError, match="row B has “\\?” \\(cell 2\\)"):
        call_command("create_room", "Studio", "--layout-file", str(layout))
    with pytest.raises(CommandError, match="--layout-file"):
        call_command("create_room", "Studio")
    assert not Seat.objects.exists()
