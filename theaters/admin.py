from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.contrib import admin
from django.utils.html import format_html, format_html_join

from cinema.admin import ServiceAdmin
from theaters import services
from theaters.forms import RoomAddForm
from theaters.grid import SeatCell, grid_rows
from theaters.models import Room


def _grid_cell(seat: SeatCell | None, marks: Mapping[int, str]) -> str:
    if seat is None:
        return format_html('<span class="seat seat-gap" aria-hidden="true"></span>')
    mark = marks.get(seat.pk)
    if mark is None:
        return format_html('<span class="seat" title="{}{}">{}</span>', seat.row, seat.number, seat.number)
    label = f"{seat.row}{seat.number} ({mark})"
    return format_html('<span class="seat seat-{}" title="{}">{}</span>', mark, label, seat.number)


def seat_grid_display(seats: Iterable[SeatCell], marks: Mapping[int, str] | None = None) -> str:
    """A room's seats as a read-only grid for admin pages; `marks` names the state of
    some seats by id ("sold", "held"), drawn with a class and in each seat's title."""
    _columns, rows = grid_rows(seats)
    lines = format_html_join(
        "",
        '<div class="seat-row"><span class="seat-row-label">{}</span>{}</div>',
        (
            (row, format_html_join("", "{}", ((_grid_cell(seat, marks or {}),) for seat in cells)))
            for row, cells in rows
        ),
    )
    return format_html('<div class="seat-grid"><div class="seat-grid-screen">Screen</div>{}</div>', lines)


@admin.register(Room)
class RoomAdmin(ServiceAdmin):
    list_display = ("name", "capacity")
    search_fields = ("name",)
    readonly_fields = ("capacity", "seat_grid")

    class Media:
        css = {"all": ["css/admin-seat-grid.css"]}

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = RoomAddForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return ("name", "rows", "seats_per_row") if obj is None else ("name", "capacity", "seat_grid")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    @admin.display(description="Seats")
    def seat_grid(self, room: Room) -> str:
        seats = room.seats.order_by("row", "number").values_list("pk", "row", "number")
        return seat_grid_display(SeatCell(*seat) for seat in seats)

    def save_model(self, request, obj: Room, form, change: bool) -> None:
        if change:
            services.room_rename(room=obj, name=form.cleaned_data["name"])
        else:
            room = services.room_create(
                name=form.cleaned_data["name"],
                rows=form.cleaned_data["rows"],
                seats_per_row=form.cleaned_data["seats_per_row"],
            )
            obj.pk = room.pk

    def delete_model(self, request, obj: Room) -> None:
        services.room_delete(room=obj)
