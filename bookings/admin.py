from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.utils import timezone

from bookings.models import Booking, Ticket
from bookings.services import bookings_cancel
from cinema.admin import SafeDateHierarchy


class TicketInline(admin.TabularInline):
    model = Ticket
    fields = ("seat", "price", "active", "released_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("seat")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Booking)
class BookingAdmin(SafeDateHierarchy, admin.ModelAdmin):
    """All reservations: staff see, filter, search and cancel; never add or delete."""

    list_display = (
        "code",
        "customer",
        "movie",
        "showtime_start",
        "room",
        "seats",
        "total_price",
        "status",
        "created_at",
    )
    list_filter = (
        "status",
        ("showtime__starts_at", admin.DateFieldListFilter),
        "showtime__movie",
        "showtime__room",
    )
    search_fields = ("code", "user__email", "user__name")
    date_hierarchy = "created_at"
    fields = (
        "code",
        "user",
        "showtime",
        "status",
        "total_price",
        "created_at",
        "cancelled_at",
        "cancelled_by",
    )
    readonly_fields = fields
    inlines = (TicketInline,)
    actions = ("cancel_bookings",)
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).with_details().select_related("cancelled_by")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="Customer", ordering="user__email")
    def customer(self, booking: Booking) -> str:
        return booking.user.email

    @admin.display(description="Movie", ordering="showtime__movie__title")
    def movie(self, booking: Booking) -> str:
        return booking.showtime.movie.title

    @admin.display(description="Room", ordering="showtime__room__name")
    def room(self, booking: Booking) -> str:
        return booking.showtime.room.name

    @admin.display(description="Starts", ordering="showtime__starts_at")
    def showtime_start(self, booking: Booking) -> str:
        return f"{timezone.localtime(booking.showtime.starts_at):%a %d %b %Y %H:%M}"

    @admin.display(description="Seats")
    def seats(self, booking: Booking) -> str:
        return ", ".join(booking.seat_labels())

    @admin.action(description="Cancel selected bookings (frees their seats)", permissions=["change"])
    def cancel_bookings(self, request, queryset: QuerySet) -> None:
        selected = queryset.count()
        cancelled = bookings_cancel(bookings=queryset, by=request.user)
        skipped = selected - cancelled
        message = f"Cancelled {cancelled} booking(s)."
        if skipped:
            message += f" {skipped} already cancelled were left as they were."
        self.message_user(request, message)
