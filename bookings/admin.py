from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from bookings.models import Booking, Hold, HoldStatus, Ticket, seats_sold
from bookings.services import bookings_cancel_each, holds_release_each, showtime_cancel
from cinema.admin import SafeDateHierarchy, ServiceAdmin
from theaters import services as schedule
from theaters.forms import ShowtimeForm
from theaters.models import Showtime, ShowtimeStatus


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
        cancelled = bookings_cancel_each(bookings=queryset, by=request.user)
        skipped = selected - cancelled
        message = f"Cancelled {cancelled} booking(s)."
        if skipped:
            message += f" {skipped} already cancelled were left as they were."
        self.message_user(request, message)


@admin.register(Showtime)
class ShowtimeAdmin(SafeDateHierarchy, ServiceAdmin):
    """The schedule (theaters' services), with what the box office adds: seats sold and cancelling."""

    form = ShowtimeForm
    list_display = ("movie", "room", "local_start", "price", "status", "sold")
    list_filter = ("status", "room", "movie")
    list_select_related = ("movie", "room")
    date_hierarchy = "starts_at"
    search_fields = ("movie__title", "room__name")
    autocomplete_fields = ("movie",)
    readonly_fields = ("ends_at", "room_free_at", "status", "active_holds")
    actions = ("cancel_showtimes",)

    def get_fields(self, request, obj=None):
        fields = ("movie", "room", "starts_at", "price", "ends_at", "room_free_at", "status")
        return (*fields, "active_holds") if obj is not None else fields

    @admin.display(description="Seats held for customers checking out")
    def active_holds(self, showtime: Showtime) -> str:
        # Shown, not an inline: a formset would make every save of the form post its rows too.
        holds = Hold.objects.active().filter(showtime=showtime).select_related("user").with_seats()
        rows = format_html_join(
            "",
            '<li><a href="{}">{}</a>: {} until {}</li>',
            (
                (
                    reverse("admin:bookings_hold_change", args=[hold.pk]),
                    hold.user.email,
                    ", ".join(held.seat.label for held in hold.seat_list),
                    f"{timezone.localtime(hold.expires_at):%H:%M:%S}",
                )
                for hold in holds
            ),
        )
        return format_html("<ul>{}</ul>", rows) if rows else "None"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(seats_sold=seats_sold())

    @admin.display(description="Starts", ordering="starts_at")
    def local_start(self, showtime: Showtime) -> str:
        return f"{timezone.localtime(showtime.starts_at):%a %d %b %Y %H:%M}"

    @admin.display(description="Sold / capacity")
    def sold(self, showtime: Showtime) -> str:
        return f"{showtime.seats_sold} / {showtime.room.capacity}"

    def save_model(self, request, obj: Showtime, form, change: bool) -> None:
        data = form.cleaned_data
        if change:
            schedule.showtime_update(
                showtime=obj,
                movie=data["movie"],
                room=data["room"],
                starts_at=data["starts_at"],
                price=data["price"],
            )
        else:
            saved = schedule.showtime_schedule(
                movie=data["movie"], room=data["room"], starts_at=data["starts_at"], price=data["price"]
            )
            obj.pk = saved.pk

    def delete_model(self, request, obj: Showtime) -> None:
        schedule.showtime_delete(showtime=obj)

    def view_on_site(self, showtime: Showtime) -> str:
        return reverse("bookings:seat-map", args=[showtime.pk])

    @admin.action(description="Cancel selected showtimes (and their bookings)", permissions=["change"])
    def cancel_showtimes(self, request, queryset: QuerySet) -> None:
        showtimes = queryset.filter(status=ShowtimeStatus.SCHEDULED)
        bookings = sum(showtime_cancel(showtime=showtime, by=request.user) for showtime in showtimes)
        self.message_user(request, f"Cancelled {len(showtimes)} showtime(s) and {bookings} booking(s).")


@admin.register(Hold)
class HoldAdmin(admin.ModelAdmin):
    """Seat holds: staff see them and can release one (its seats are free at once)."""

    list_display = ("pk", "showtime", "user", "held_seats", "expires_at", "state")
    list_filter = ("status",)
    list_select_related = ("showtime__movie", "showtime__room", "user")
    search_fields = ("user__email", "showtime__movie__title")
    fields = ("user", "showtime", "state", "created_at", "expires_at", "renewals", "booking")
    readonly_fields = fields
    actions = ("release_holds",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("seats__seat")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="Seats")
    def held_seats(self, hold: Hold) -> str:
        return ", ".join(held.seat.label for held in hold.seats.all())

    @admin.display(description="Status")
    def state(self, hold: Hold) -> str:
        return HoldStatus(hold.current_status()).label

    @admin.action(description="Release selected holds (frees their seats)", permissions=["change"])
    def release_holds(self, request, queryset: QuerySet) -> None:
        released = holds_release_each(holds=queryset, by=request.user)
        self.message_user(request, f"Released {released} hold(s); the others had already ended.")
