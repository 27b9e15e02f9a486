"""The staff's price-card form: weekdays as checkboxes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from pricing.models import WEEKDAY_CHOICES, PriceCard


class PriceCardForm(forms.ModelForm):
    weekdays = forms.TypedMultipleChoiceField(
        choices=WEEKDAY_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("The days whose showtimes this card prices."),
    )

    class Meta:
        model = PriceCard
        fields = ("name", "weekdays", "starts_from", "starts_before", "priority")
        help_texts = {
            "starts_from": gettext_lazy("Local time, e.g. 14:00; empty: from the start of the day."),
            "starts_before": gettext_lazy("Local time, excluded, e.g. 17:00; empty: until midnight."),
        }

    def clean_weekdays(self) -> list[int]:
        return sorted(set(self.cleaned_data["weekdays"]))
