from __future__ import annotations

import pytest

from cinema.tests.clients import api_client
from theaters.models import Room
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = pytest.mark.django_db


def test_staff_create_a_room_with_its_grid_of_seats(staff):
    response = api_client(staff).post(
        "/api/rooms", {"name": "Blue", "rows": 3, "seats_per_row": 4}, format="json"
    )

    body = response.json()
    assert response.status_code == 201
    assert body["name"] == "Blue"
    assert body["capacity"] == 12
    assert [s["label"] for s in body["seats"]][:5] == ["A1", "A2", "A3", "A4", "B1"]
    assert set(body["seats"][0]) == {"id", "row", "number", "label", "column", "kind", "blocked"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "X", "rows": 0, "seats_per_row": 5}, "rows"),
        ({"name": "X", "rows": 27, "seats_per_row": 5}, "rows"),
        ({"name": "X", "rows": 5, "seats_per_row": 0}, "seats_per_row"),
        ({"name": "X", "rows": 5, "seats_per_row": 51}, "seats_per_row"),
        ({"name": "", "rows": 5, "seats_per_row": 5}, "name"),
        ({"name": "x" * 101, "rows": 5, "seats_per_row": 5}, "name"),
    ],
)
def test_it_refuses_rooms_out_of_bounds(staff, body, field):
    response = api_client(staff).post("/api/rooms", body, format="json")

    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"name": "X", "rows": 5}, "Give rows and seats_per_row, or a layout."),
        (
            {"name": "X", "rows": 5, "seats_per_row": 5, "layout": ["SS"]},
            "Give either a layout or rows and seats_per_row, not both.",
        ),
    ],
)
def test_it_takes_rows_and_seats_per_row_or_a_layout(staff, body, message):
    response = api_client(staff).post("/api/rooms", body, format="json")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [message]}
    assert not Room.objects.filter(name="X").exists()
    assert not Room.objects.exists()


def test_it_refuses_a_room_name_taken_whatever_its_case(staff):
    RoomFactory(name="Blue")

    response = api_client(staff).post(
        "/api/rooms", {"name": "BLUE", "rows": 2, "seats_per_row": 2}, format="json"
    )

    assert response.status_code == 400
    assert "name" in response.json()


def test_the_list_makes_the_same_queries_whatever_the_page_size(staff, django_assert_num_queries):
    for _ in range(5):
        RoomFactory(rows=1, seats_per_row=1)
    client = api_client(staff)

    # 1. the user of the token, 2. count, 3. the page of rooms
    with django_assert_num_queries(3):
        response = client.get("/api/rooms")
    assert [set(r) for r in response.json()["results"]] == [{"id", "name", "capacity"}] * 5


def test_the_detail_lists_seats_by_row_then_number(staff, django_assert_num_queries):
    room = RoomFactory(rows=3, seats_per_row=12)
    client = api_client(staff)

    # 1. the user of the token, 2. the room, 3. its seats
    with django_assert_num_queries(3):
        response = client.get(f"/api/rooms/{room.pk}")

    labels = [s["label"] for s in response.json()["seats"]]
    assert labels[:3] == ["A1", "A2", "A3"]
    assert labels[11:13] == ["A12", "B1"]
    assert len(labels) == 36


def test_staff_rename_a_room(staff):
    room = RoomFactory(name="Blue")

    response = api_client(staff).patch(f"/api/rooms/{room.pk}", {"name": "Red"}, format="json")

    assert response.status_code == 200
    assert response.json()["name"] == "Red"
    room.refresh_from_db()
    assert room.name == "Red"


def test_a_rename_to_a_taken_name_is_400(staff):
    RoomFactory(name="Red")
    room = RoomFactory(name="Blue")

    response = api_client(staff).patch(f"/api/rooms/{room.pk}", {"name": "red"}, format="json")

    assert response.status_code == 400
    assert "name" in response.json()


def test_rooms_have_no_put(staff):
    room = RoomFactory()

    assert api_client(staff).put(f"/api/rooms/{room.pk}", {"name": "X"}, format="json").status_code == 405


def test_staff_delete_a_room_without_sessions(staff):
    room = RoomFactory()

    assert api_client(staff).delete(f"/api/rooms/{room.pk}").status_code == 204
    assert not Room.objects.exists()


def test_a_room_with_sessions_cannot_be_deleted(staff):
    showtime = ShowtimeFactory()

    response = api_client(staff).delete(f"/api/rooms/{showtime.room_id}")

    assert response.status_code == 409
    assert response.json()["code"] == "room_has_sessions"
    assert "detail" in response.json()
