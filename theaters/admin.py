from __future__ import annotations

from itertools import groupby

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from bookings.services import showtime_cancel
from theaters import services
from theaters.models import Room, Showtime, ShowtimeStatus
from theaters.services import MAX_ROWS, MAX_SEATS_PER_ROW, ScheduleError


class RoomAddForm(forms.ModelForm):
    rows = forms.IntegerField(min_value=1, max_value=MAX_ROWS, help_text=f"1 to {MAX_ROWS}, lettered A…")
    seats_per_row = forms.IntegerField(min_value=1, max_value=MAX_SEATS_PER_ROW, help_text="Numbered from 1.")

    class Meta:
        model = Room
        fields = ("name",)


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
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
        rows = groupby(room.seats.order_by("row", "number"), key=lambda seat: seat.row)
        lines = format_html_join(
            "",
            '<div class="seat-row"><span class="seat-row-label">{}</span>{}</div>',
            (
                (
                    row,
                    format_html_join(
                        "", '<span class="seat" title="{}">{}</span>', ((s.label, s.number) for s in seats)
                    ),
                )
                for row, seats in rows
            ),
        )
        return format_html('<div class="seat-grid"><div class="seat-grid-screen">Screen</div>{}</div>', lines)

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
        try:
            services.room_delete(room=obj)
        except ScheduleError as error:
            self.message_user(request, error.message, messages.ERROR)

    def delete_queryset(self, request, queryset: QuerySet) -> None:
        for room in queryset:
            self.delete_model(request, room)


class ShowtimeForm(forms.ModelForm):
    class Meta:
        model = Showtime
        fields = ("movie", "room", "starts_at", "price")

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        wanted = Showtime(
            pk=self.instance.pk,
            movie=cleaned["movie"],
            room=cleaned["room"],
            starts_at=cleaned["starts_at"],
            price=cleaned["price"],
        )
        old = self.instance
        slot_unchanged = old.pk and (old.starts_at, old.room_id, old.movie_id) == (
            wanted.starts_at,
            wanted.room.pk,
            wanted.movie.pk,
        )
        if not slot_unchanged:
            try:
                services.check_slot(showtime=wanted)
            except ScheduleError as error:
                self.add_error(error.field, error.message)
        return cleaned


@admin.register(Showtime)
class ShowtimeAdmin(admin.ModelAdmin):
    form = ShowtimeForm
    list_display = ("movie", "room", "local_start", "price", "status", "sold")
    list_filter = ("status", "room", "movie")
    list_select_related = ("movie", "room")
    date_hierarchy = "starts_at"
    search_fields = ("movie__title", "room__name")
    autocomplete_fields = ("movie",)
    readonly_fields = ("ends_at", "room_free_at", "status")
    actions = ("cancel_showtimes",)

    def get_queryset(self, request):
        return super().get_queryset(request).with_seats_sold()

    @admin.display(description="Starts", ordering="starts_at")
    def local_start(self, showtime: Showtime) -> str:
        return f"{timezone.localtime(showtime.starts_at):%a %d %b %Y %H:%M}"

    @admin.display(description="Sold / capacity")
    def sold(self, showtime: Showtime) -> str:
        return f"{showtime.seats_sold} / {showtime.room.capacity}"

    def save_model(self, request, obj: Showtime, form, change: bool) -> None:
        data = form.cleaned_data
        try:
            if change:
                services.showtime_update(
                    showtime=obj,
                    movie=data["movie"],
                    room=data["room"],
                    starts_at=data["starts_at"],
                    price=data["price"],
                )
            else:
                saved = services.showtime_schedule(
                    movie=data["movie"], room=data["room"], starts_at=data["starts_at"], price=data["price"]
                )
                obj.pk = saved.pk
        except ScheduleError as error:
            # Only a concurrent change gets here: the form already checked the slot.
            self.message_user(request, error.message, messages.ERROR)

    def delete_model(self, request, obj: Showtime) -> None:
        try:
            services.showtime_delete(showtime=obj)
        except ScheduleError as error:
            self.message_user(request, error.message, messages.ERROR)

    def delete_queryset(self, request, queryset: QuerySet) -> None:
        for showtime in queryset:
            self.delete_model(request, showtime)

    @admin.action(description="Cancel selected showtimes (and their bookings)", permissions=["change"])
    def cancel_showtimes(self, request, queryset: QuerySet) -> None:
        showtimes = queryset.filter(status=ShowtimeStatus.SCHEDULED)
        bookings = sum(showtime_cancel(showtime=showtime, by=request.user) for showtime in showtimes)
        self.message_user(request, f"Cancelled {len(showtimes)} showtime(s) and {bookings} booking(s).")
