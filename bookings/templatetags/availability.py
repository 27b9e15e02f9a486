from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def availability(showtime) -> str:
    """ "sold-out", "few-left" or "": needs `seats_sold` (`Showtime.objects.with_seats_sold()`)."""
    capacity = showtime.room.capacity
    free = capacity - showtime.seats_sold
    if free <= 0:
        return "sold-out"
    # A tenth of the room, or five seats, is when people should hurry.
    return "few-left" if free <= max(5, capacity // 10) else ""
