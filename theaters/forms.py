"""The staff's forms for rooms and the schedule (the admin shows them)."""

from __future__ import annotations

from django import forms

from theaters import services
from theaters.models import Room, Showtime
from theaters.services import MAX_ROWS, MAX_SEATS_PER_ROW, ScheduleError


class RoomAddForm(forms.ModelForm):
    rows = forms.IntegerField(min_value=1, max_value=MAX_ROWS, help_text=f"1 to {MAX_ROWS}, lettered A…")
    seats_per_row = forms.IntegerField(min_value=1, max_value=MAX_SEATS_PER_ROW, help_text="Numbered from 1.")

    class Meta:
        model = Room
        fields = ("name",)


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
                error.add_to_form(self)
        return cleaned
