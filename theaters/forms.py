"""The staff's forms for rooms and the schedule (the admin shows them)."""

from __future__ import annotations

from datetime import time
from decimal import Decimal

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from movies.models import Movie
from pricing.models import ADULT
from pricing.selectors import active_ticket_types
from theaters import services
from theaters.layout import LayoutError, layout_from_text, layout_lines, parse_layout
from theaters.models import Room, Showtime
from theaters.series import MAX_SERIES, WEEKDAYS, SeriesSpec, parse_start_time, preview_series
from theaters.services import MAX_ROWS, MAX_SEATS_PER_ROW, ScheduleError

LAYOUT_HELP = format_lazy(
    gettext_lazy(
        "One line per row, from the screen: S seat, W wheelchair space, C companion seat, "
        "X blocked seat, . gap (aisle). Up to {rows} rows of {cells} cells."
    ),
    rows=MAX_ROWS,
    cells=MAX_SEATS_PER_ROW,
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
        min_value=1,
        max_value=MAX_ROWS,
        required=False,
        help_text=format_lazy(gettext_lazy("1 to {rows}, lettered A…"), rows=MAX_ROWS),
    )
    seats_per_row = forms.IntegerField(
        min_value=1, max_value=MAX_SEATS_PER_ROW, required=False, help_text=gettext_lazy("Numbered from 1.")
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
                self.add_error(field, _("Give rows and seats per row, or draw the layout."))
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


PRICE_PREFIX = "price_"


class ShowtimeForm(forms.ModelForm):
    """A showtime with a price per ticket type: `price` is the adult one, and a field
    `price_<code>` is added for each other active type.

    A new showtime takes the price card covering its start for any price left
    empty (the page's script shows them as placeholders); on a scheduled one the
    fields show its prices, and an empty one stops selling that type.
    """

    class Meta:
        model = Showtime
        fields = ("movie", "room", "starts_at", "price")
        labels = {"price": gettext_lazy("Adult price")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        adding = self.instance.pk is None
        self.fields["price"].required = not adding
        self.fields["price"].widget.attrs["data-ticket-type"] = ADULT
        if adding:
            self.fields["price"].help_text = CARD_HELP
        else:
            # Prefetched with their types by the admin's queryset.
            current = {line.ticket_type.code: line.price for line in self.instance.prices.all()}
            for code in self.price_codes():
                self.initial.setdefault(PRICE_PREFIX + code, current.get(code))
                self.fields[PRICE_PREFIX + code].help_text = _("Empty: not sold at this showtime.")

    def price_codes(self) -> list[str]:
        return [name.removeprefix(PRICE_PREFIX) for name in self.fields if name.startswith(PRICE_PREFIX)]

    def explicit_prices(self) -> dict[str, Decimal | None]:
        """The per-type prices entered (None where left empty), adult aside (`price`)."""
        return {code: self.cleaned_data.get(PRICE_PREFIX + code) for code in self.price_codes()}

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if self.instance.pk is None:
            given = {code: price for code, price in self.explicit_prices().items() if price is not None}
            try:
                services.showtime_prices_for(
                    starts_at=cleaned["starts_at"], price=cleaned.get("price"), prices=given
                )
            except ScheduleError as error:
                error.add_to_form(self)
                return cleaned
        wanted = Showtime(
            pk=self.instance.pk,
            movie=cleaned["movie"],
            room=cleaned["room"],
            starts_at=cleaned["starts_at"],
            price=cleaned.get("price"),
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


CARD_HELP = gettext_lazy("Empty: the price card’s (shown greyed while you type the start).")


def showtime_form_class() -> type[ShowtimeForm]:
    """ShowtimeForm with a price field for each active ticket type besides Adult (read now:
    staff add types while the site runs)."""
    return type("ShowtimeForm", (ShowtimeForm,), _type_price_fields(help_text=CARD_HELP))


def _type_price_fields(*, help_text: str) -> dict[str, forms.DecimalField]:
    """A `price_<code>` field for each active ticket type besides Adult."""
    fields = {}
    for ticket_type in active_ticket_types():
        if ticket_type.is_adult:
            continue
        field = forms.DecimalField(
            label=_("%(type)s price") % {"type": ticket_type.name},
            required=False,
            min_value=0,
            max_digits=7,
            decimal_places=2,
            help_text=help_text,
        )
        field.widget.attrs["data-ticket-type"] = ticket_type.code
        fields[PRICE_PREFIX + ticket_type.code] = field
    return fields


class StartTimesField(forms.CharField):
    """Local start times separated by commas or spaces ("14:00, 20:30")."""

    def clean(self, value) -> list[time]:
        text = super().clean(value) or ""
        times = []
        for word in text.replace(",", " ").split():
            try:
                times.append(parse_start_time(word))
            except ValueError as error:
                raise forms.ValidationError(str(error)) from error
        return times


class SeriesForm(forms.Form):
    """A series of showtimes (theaters/series.py); prices left empty come from the price cards.
    Use `series_form_class()`, which adds a price field per active ticket type."""

    movie = forms.ModelChoiceField(queryset=Movie.objects.order_by("title"))
    room = forms.ModelChoiceField(queryset=Room.objects.order_by("name"))
    first_day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    last_day = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Or give a count."),
    )
    count = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_SERIES,
        help_text=format_lazy(
            gettext_lazy("How many showtimes, in date order (at most {limit})."), limit=MAX_SERIES
        ),
    )
    weekdays = forms.TypedMultipleChoiceField(
        choices=[(index, name.capitalize()) for index, name in enumerate(WEEKDAYS)],
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    times = StartTimesField(
        label=gettext_lazy("Start times"),
        help_text=gettext_lazy("Local times, separated by commas: 14:00, 20:30."),
    )
    price = forms.DecimalField(
        label=gettext_lazy("Adult price"),
        required=False,
        min_value=0,
        max_digits=7,
        decimal_places=2,
        help_text=gettext_lazy("Empty: the price card’s for each start."),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            self.planned = preview_series(self.spec())
        except ScheduleError as error:
            error.add_to_form(self)
        return cleaned

    def spec(self) -> SeriesSpec:
        data = self.cleaned_data
        prices = {
            name.removeprefix(PRICE_PREFIX): amount
            for name, amount in data.items()
            if name.startswith(PRICE_PREFIX) and amount is not None
        }
        return SeriesSpec(
            movie=data["movie"],
            room=data["room"],
            first_day=data["first_day"],
            last_day=data.get("last_day"),
            count=data.get("count"),
            weekdays=frozenset(data["weekdays"]),
            times=data["times"],
            price=data.get("price"),
            prices=prices,
        )


def series_form_class() -> type[SeriesForm]:
    return type(
        "SeriesForm", (SeriesForm,), _type_price_fields(help_text=gettext_lazy("Empty: the price card’s."))
    )
