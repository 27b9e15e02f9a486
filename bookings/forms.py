from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cinema.money import format_money

# Beyond a bigint and the database refuses the id with an error, not a "no such seat".
MAX_ID = 2**63 - 1
# The most seat ids a request may carry (page or API), counted before any is
# looked at. Well above MAX_SEATS_PER_BOOKING, so within it the booking service
# still gives its own "at most 10 seats".
MAX_SEAT_IDS = 100


class SeatIdsField(forms.Field):
    """The checked seat checkboxes as ints; how many and which ones is the service's call."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": gettext_lazy("Choose seats from the map.")}

    def to_python(self, value) -> list[int]:
        if not value:
            return []
        if not isinstance(value, list | tuple):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if len(value) > MAX_SEAT_IDS:
            raise forms.ValidationError(
                _("You can book at most %(limit)s seats at once.")
                % {"limit": settings.MAX_SEATS_PER_BOOKING},
                code="too_many",
            )
        try:
            ids = [int(item) for item in value]
        except (TypeError, ValueError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if any(not 1 <= pk <= MAX_ID for pk in ids):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return ids


class SeatSelectionForm(forms.Form):
    seats = SeatIdsField(required=False)


class TicketTypesForm(forms.Form):
    """How many of the held seats are of each ticket type the showtime offers
    (defaults: all adult). `offer` is bookings.prices.Offer."""

    def __init__(self, *args, offer, seat_count: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.seat_count = seat_count
        for line in offer.lines:
            ticket_type = line.ticket_type
            field = forms.IntegerField(
                required=False,
                label=_("%(type)s (%(price)s each)")
                % {"type": ticket_type.name, "price": format_money(line.price)},
                min_value=0,
                max_value=seat_count,
                initial=seat_count if ticket_type.is_adult else 0,
                help_text=_("With an adult in the same booking.") if ticket_type.requires_adult else "",
            )
            field.widget.attrs.update(
                {
                    "class": "form-control",
                    "inputmode": "numeric",
                    "data-price": f"{line.price}",
                    "data-name": ticket_type.name,
                    "data-ticket-count": "",
                }
            )
            self.fields[ticket_type.code] = field

    def counts(self) -> dict[str, int]:
        """The counts chosen (valid form); none given at all means every seat adult."""
        given = {code: self.cleaned_data.get(code) for code in self.fields}
        if all(count is None for count in given.values()):
            return {"adult": self.seat_count}
        return {code: count or 0 for code, count in given.items()}


class CheckInForm(forms.Form):
    """The door's code field: typed, or filled in by the camera's scan."""

    # The page writes the input itself (large, autofocused, no autocorrect).
    code = forms.CharField(label=gettext_lazy("Booking code"), max_length=40)

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not code:
            raise forms.ValidationError(_("Type the booking code."))
        return code


class BestSeatsForm(forms.Form):
    """The seat map's "Find the best N seats" (a GET form, so it works without JavaScript)."""

    best = forms.IntegerField(label=gettext_lazy("Number of seats"), min_value=1)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["best"]
        assert isinstance(field, forms.IntegerField)
        field.validators.append(at_most_per_booking)
        field.widget.attrs.update(max=settings.MAX_SEATS_PER_BOOKING, min=1, inputmode="numeric")


def at_most_per_booking(value: int) -> None:
    """Best seats are asked for at most as many as one booking may take."""
    if value > settings.MAX_SEATS_PER_BOOKING:
        raise forms.ValidationError(
            _("At most %(limit)s seats at once.") % {"limit": settings.MAX_SEATS_PER_BOOKING}
        )


class WaitlistJoinForm(forms.Form):
    """A sold-out seat map's "Join the waiting list" (how many is the service's call)."""

    party_size = forms.IntegerField(label=gettext_lazy("Party size"), min_value=1, initial=2)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party_size"].widget.attrs.update(max=settings.MAX_SEATS_PER_BOOKING, inputmode="numeric")
