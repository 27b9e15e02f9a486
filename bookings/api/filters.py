from __future__ import annotations

from django_filters import rest_framework as filters

from bookings.models import BookingStatus
from theaters.api.filters import IdFilter


class BookingFilter(filters.FilterSet):
    session = IdFilter(field_name="showtime_id", help_text="A session id.")
    user = IdFilter(field_name="user_id", help_text="A user id (staff; a user sees only their own anyway).")
    status = filters.ChoiceFilter(choices=BookingStatus.choices)
