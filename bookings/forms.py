from __future__ import annotations

from django import forms
from django.conf import settings

# Beyond a bigint and the database refuses the id with an error, not a "no such seat".
MAX_ID = 2**63 - 1
# The most seat ids a request may carry (page or API), counted before any is
# looked at. Well above MAX_SEATS_PER_BOOKING, so within it the booking service
# still gives its own "at most 10 seats".
MAX_SEAT_IDS = 100


class SeatIdsField(forms.Field):
    """The checked seat checkboxes as ints; how many and which ones is the service's call."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": "Choose seats from the map."}

    def to_python(self, value) -> list[int]:
        if not value:
            return []
        if not isinstance(value, list | tuple):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if len(value) > MAX_SEAT_IDS:
            raise forms.ValidationError(
                f"You can book at most {settings.MAX_SEATS_PER_BOOKING} seats at once.", code="too_many"
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


class BestSeatsForm(forms.Form):
    """The seat map's "Find the best N seats" (a GET form, so it works without JavaScript)."""

    best = forms.IntegerField(label="Number of seats", min_value=1)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["best"]
        assert isinstance(field, forms.IntegerField)
        field.validators.append(_at_most_per_booking)
        field.widget.attrs.update(max=settings.MAX_SEATS_PER_BOOKING, min=1, inputmode="numeric")


def _at_most_per_booking(value: int) -> None:
    if value > settings.MAX_SEATS_PER_BOOKING:
        raise forms.ValidationError(f"At most {settings.MAX_SEATS_PER_BOOKING} seats at once.")
