"""The staff's forms for rooms and the schedule (the admin shows them)."""

from __future__ import annotations

from django import forms

from theaters import services
from theaters.layout import LayoutError, layout_from_text, layout_lines, parse_layout
from theaters.models import Room, Showtime
from theaters.services import MAX_ROWS, MAX_SEATS_PER_ROW, ScheduleError

LAYOUT_HELP = (
    "One line per row, from the screen: S seat, W wheelchair space, C companion seat, "
    f"X blocked seat, . gap (aisle). Up to {MAX_ROWS} rows of {MAX_SEATS_PER_ROW} cells."
)


class LayoutField(forms.CharField):
    """The layout text, cleaned into its rows (theaters/layout.py says what is allowed)."""

    widget = forms.Textarea(attrs={"rows": 10, "cols": 60, "class": "layout-text", "spellcheck": "false"})

    def __init__(self, **kwargs) -> None:
        super().__init__(strip=False, help_text=LAYOUT_HELP, **kwargs)

    def clean(self, value) -> list[str] | None:
        text = super().clean(value)
        if not text or not text.strip():
            return None
        lines = layout_from_text(text)
        try:
            parse_layout(lines)
        except LayoutError as error:
            raise forms.ValidationError(error.message) from error
        return lines


class RoomAddForm(forms.ModelForm):
    rows = forms.IntegerField(
        min_value=1, max_value=MAX_ROWS, required=False, help_text=f"1 to {MAX_ROWS}, lettered A…"
    )
    seats_per_row = forms.IntegerField(
        min_value=1, max_value=MAX_SEATS_PER_ROW, required=False, help_text="Numbered from 1."
    )
    layout = LayoutField(required=False)

    class Meta:
        model = Room
        fields = ("name",)

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.has_error("layout") or cleaned.get("layout"):
            return cleaned
        for field in ("rows", "seats_per_row"):
            if cleaned.get(field) is None and not self.has_error(field):
                self.add_error(field, "Give rows and seats per row, or draw the layout.")
        return cleaned


class RoomChangeForm(forms.ModelForm):
    layout = LayoutField(required=False)  # left empty, the room keeps its layout

    class Meta:
        model = Room
        fields = ("name",)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            seats = self.instance.seats.order_by("row", "column").values_list(
                "row", "column", "kind", "blocked"
            )
            self.initial["layout"] = "\n".join(layout_lines(seats))


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
