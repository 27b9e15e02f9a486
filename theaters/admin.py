from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from cinema.admin import ServiceAdmin
from theaters import services
from theaters.forms import RoomAddForm, RoomChangeForm
from theaters.grid import SEAT_CELL_FIELDS, SeatCell, grid_rows
from theaters.models import Room, SeatKind


def _grid_cell(seat: SeatCell | None, marks: Mapping[int, str]) -> str:
    if seat is None:
        return mark_safe('<span class="seat seat-gap" aria-hidden="true"></span>')
    mark = marks.get(seat.pk) or ("blocked" if seat.blocked else None)
    kind = "" if seat.kind == SeatKind.STANDARD else seat.kind
    classes = " ".join(["seat", *(f"seat-{name}" for name in (kind, mark) if name)])
    title = seat.label + "".join(f" ({name})" for name in (kind, mark) if name)
    return format_html('<span class="{}" title="{}">{}</span>', classes, title, seat.number)


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
        js = ["js/admin-room-layout.js"]

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = RoomAddForm if obj is None else RoomChangeForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("name", "rows", "seats_per_row", "layout")
        return ("name", "capacity", "layout", "seat_grid")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    @admin.display(description=gettext_lazy("Seats"))
    def seat_grid(self, room: Room) -> str:
        seats = room.seats.order_by("row", "number").values_list(*SEAT_CELL_FIELDS)
        return seat_grid_display(SeatCell(*seat) for seat in seats)

    def save_model(self, request, obj: Room, form, change: bool) -> None:
        if change:
            # A layout left as it was is not redrawn: the seat maps keep their version.
            redrawn = form.cleaned_data["layout"] if "layout" in form.changed_data else None
            services.room_update(room=obj, name=form.cleaned_data["name"], layout=redrawn)
        else:
            room = services.room_create(
                name=form.cleaned_data["name"],
                rows=form.cleaned_data["rows"],
                seats_per_row=form.cleaned_data["seats_per_row"],
                layout=form.cleaned_data["layout"],
            )
            obj.pk = room.pk

    def delete_model(self, request, obj: Room) -> None:
        services.room_delete(room=obj)
