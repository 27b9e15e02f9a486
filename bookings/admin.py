from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from bookings.models import (
    Booking,
    BookingStatus,
    Hold,
    HoldStatus,
    Ticket,
    WaitlistEntry,
    WaitlistStatus,
    seats_sold,
)
from bookings.prices import offer_for, with_price_list
from bookings.selectors import seat_states
from bookings.services import (
    BookingError,
    booking_cancel,
    bookings_cancel_each,
    holds_release_each,
    showtime_cancel,
    waitlist_leave_each,
)
from cinema.admin import ReadOnlyPages, SafeDateHierarchy, ServiceAdmin, admin_datetime
from cinema.localtime import local_day_bounds
from cinema.money import money_text
from pricing.selectors import price_card_for
from theaters import services as schedule
from theaters.admin import seat_grid_display
from theaters.forms import ShowtimeForm, series_form_class, showtime_form_class
from theaters.models import Showtime, ShowtimeStatus
from theaters.series import OK, series_create
from theaters.services import ScheduleError


class TicketInline(admin.TabularInline):
    model = Ticket
    fields = ("seat", "ticket_type", "price", "active", "released_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("seat", "ticket_type")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Booking)
class BookingAdmin(ReadOnlyPages, SafeDateHierarchy, admin.ModelAdmin):
    """All reservations: staff see, filter, search and cancel; never add, edit or delete."""

    list_display = (
        "code",
        "customer",
        "movie",
        "showtime_start",
        "room",
        "seats",
        "tickets",
        "total_price",
        "status",
        "checked_in",
        "created",
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
        "created",
        "cancelled",
        "cancelled_by",
        "checked_in",
    )
    readonly_fields = fields
    inlines = (TicketInline,)
    actions = ("cancel_bookings",)
    list_per_page = 50

    class Media:
        css = {"all": ["css/admin-lists.css", "css/admin-bookings.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).with_details().select_related("cancelled_by")

    def get_urls(self):
        cancel = path(
            "<path:object_id>/cancel/",
            self.admin_site.admin_view(self.cancel_view),
            name="bookings_booking_cancel",
        )
        return [cancel, *super().get_urls()]  # before the catch-all "<object_id>/"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        booking = self.get_object(request, unquote(object_id))
        can_cancel = (
            booking is not None
            and booking.status == BookingStatus.CONFIRMED
            and self.has_change_permission(request, booking)
        )
        extra_context = {**(extra_context or {}), "can_cancel": can_cancel}
        return super().change_view(request, object_id, form_url, extra_context)

    def cancel_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The booking page's "Cancel this booking": the service decides; its refusal is the message."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        booking = self.get_object(request, unquote(object_id))
        if booking is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, booking):
            raise PermissionDenied
        try:
            booking_cancel(booking=booking, by=request.user)
        except BookingError as refusal:
            self.message_user(request, refusal.message, messages.ERROR)
        else:
            self.log_change(request, booking, "Cancelled the booking.")
            self.message_user(
                request,
                _("Booking %(code)s is cancelled; its seats are free again.") % {"code": booking.code},
            )
        return HttpResponseRedirect(reverse("admin:bookings_booking_change", args=[booking.pk]))

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=gettext_lazy("Checked in"), ordering="checked_in_at")
    def checked_in(self, booking: Booking) -> str:
        return admin_datetime(booking.checked_in_at)

    @admin.display(description=gettext_lazy("Customer"), ordering="user__email")
    def customer(self, booking: Booking) -> str:
        return booking.user.email

    @admin.display(description=gettext_lazy("Movie"), ordering="showtime__movie__title")
    def movie(self, booking: Booking) -> str:
        return booking.showtime.movie.title

    @admin.display(description=gettext_lazy("Room"), ordering="showtime__room__name")
    def room(self, booking: Booking) -> str:
        return booking.showtime.room.name

    @admin.display(description=gettext_lazy("Starts"), ordering="showtime__starts_at")
    def showtime_start(self, booking: Booking) -> str:
        return admin_datetime(booking.showtime.starts_at)

    @admin.display(description=gettext_lazy("Booked"), ordering="created_at")
    def created(self, booking: Booking) -> str:
        return admin_datetime(booking.created_at)

    @admin.display(description=gettext_lazy("Cancelled at"))
    def cancelled(self, booking: Booking) -> str:
        return admin_datetime(booking.cancelled_at)

    @admin.display(description=gettext_lazy("Seats"))
    def seats(self, booking: Booking) -> str:
        return ", ".join(booking.seat_labels())

    @admin.display(description=gettext_lazy("Tickets"))
    def tickets(self, booking: Booking) -> str:
        return booking.ticket_summary()

    @admin.action(
        description=gettext_lazy("Cancel selected bookings (frees their seats)"), permissions=["change"]
    )
    def cancel_bookings(self, request, queryset: QuerySet) -> TemplateResponse | None:
        # Like Django's "Delete selected": the first POST shows what would be
        # cancelled; only the confirming one (post=yes) cancels.
        if request.POST.get("post") != "yes":
            return self._cancel_confirmation(request, queryset)
        selected = queryset.count()
        cancelled = bookings_cancel_each(bookings=queryset, by=request.user)
        skipped = selected - cancelled
        message = _("Cancelled %(count)s booking(s).") % {"count": cancelled}
        if skipped:
            message += " " + _("%(count)s already cancelled were left as they were.") % {"count": skipped}
        self.message_user(request, message)

    def _cancel_confirmation(self, request, queryset: QuerySet) -> TemplateResponse | None:
        selected = list(queryset)
        to_cancel = [booking for booking in selected if booking.status == BookingStatus.CONFIRMED]
        if not to_cancel:
            self.message_user(request, _("The selected bookings are already cancelled."), messages.WARNING)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Cancel these bookings?"),
            "opts": self.opts,
            "to_cancel": to_cancel,
            "already_cancelled": len(selected) - len(to_cancel),
            "selected_ids": [booking.pk for booking in selected],
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/bookings/booking/cancel_selected_confirmation.html", context)


class ShowtimeWhenFilter(admin.SimpleListFilter):
    """Staff plan ahead: the list opens on what is not over yet; the past is one click away."""

    title = gettext_lazy("when")
    parameter_name = "when"
    DEFAULT = "upcoming"

    def lookups(self, request, model_admin):
        return (("upcoming", _("Upcoming")), ("today", _("Today")), ("past", _("Past")), ("all", _("All")))

    def choices(self, changelist):
        # No separate "All" without a value: no value means the default, upcoming.
        current = self.value() or self.DEFAULT
        for value, label in self.lookup_choices:
            yield {
                "selected": current == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        now = timezone.now()
        when = self.value() or self.DEFAULT
        if when == "upcoming":  # a showtime playing now is still staff's business
            return queryset.filter(ends_at__gt=now)
        if when == "today":
            start, end = local_day_bounds(timezone.localdate(now, timezone.get_default_timezone()))
            return queryset.filter(starts_at__gte=start, starts_at__lt=end)
        if when == "past":
            return queryset.filter(ends_at__lte=now)
        return queryset


@admin.register(Showtime)
class ShowtimeAdmin(SafeDateHierarchy, ServiceAdmin):
    """The schedule (theaters' services), with what the box office adds: seats sold and cancelling."""

    form = ShowtimeForm
    change_list_template = "admin/theaters/showtime/change_list.html"
    list_display = ("movie", "room", "local_start", "price_list", "status", "sold")
    list_filter = (ShowtimeWhenFilter, "status", "room", "movie")
    list_select_related = ("movie", "room")
    list_per_page = 25
    date_hierarchy = "starts_at"
    search_fields = ("movie__title", "room__name")
    autocomplete_fields = ("movie",)
    readonly_fields = ("ends_at", "room_free_at", "status")
    actions = ("cancel_showtimes",)

    @admin.display(description=gettext_lazy("Seats held for customers checking out"))
    def active_holds(self, showtime: Showtime) -> str:
        # Shown, not an inline: a formset would make every save of the form post its rows too.
        holds = Hold.objects.active().filter(showtime=showtime).select_related("user").with_seats()
        rows = format_html_join(
            "",
            '<li><a href="{}">{}</a>: {}</li>',
            (
                (
                    reverse("admin:bookings_hold_change", args=[hold.pk]),
                    hold.user.email,
                    _("%(seats)s until %(time)s")
                    % {"seats": ", ".join(hold.seat_labels()), "time": admin_datetime(hold.expires_at)},
                )
                for hold in holds
            ),
        )
        return format_html("<ul>{}</ul>", rows) if rows else _("None")

    @admin.display(description=gettext_lazy("Waiting list"))
    def waiting_list(self, showtime: Showtime) -> str:
        # In line order, 1 query; each entry's page takes it off the list.
        entries = (
            WaitlistEntry.objects.live()
            .filter(showtime=showtime)
            .with_position()
            .select_related("user", "hold")
        )
        rows = format_html_join(
            "",
            '<li><a href="{}">{}. {}</a>: {}</li>',
            (
                (
                    reverse("admin:bookings_waitlistentry_change", args=[entry.pk]),
                    entry.position,
                    entry.user.email,
                    ngettext("%(count)s seat, %(status)s", "%(count)s seats, %(status)s", entry.party_size)
                    % {
                        "count": entry.party_size,
                        "status": WaitlistStatus(entry.current_status()).label.lower(),
                    },
                )
                for entry in entries
            ),
        )
        return format_html('<ol class="waiting-list">{}</ol>', rows) if rows else _("No one is waiting.")

    class Media:
        css = {"all": ["css/admin-lists.css", "css/admin-seat-grid.css"]}
        js = ["js/admin-showtime-prices.js"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        return (*self.readonly_fields, "seat_map", "booking_list", "active_holds", "waiting_list")

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The admin asks for the form several times a request: read the ticket types once.
        if not hasattr(request, "_showtime_form"):
            request._showtime_form = showtime_form_class()
        kwargs["form"] = request._showtime_form
        return super().get_form(request, obj, change, **kwargs)

    def get_ordering(self, request):
        # The past reads backwards from the latest; everything else from the next.
        past = request.GET.get(ShowtimeWhenFilter.parameter_name) == "past"
        return ("-starts_at",) if past else ("starts_at",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(seats_sold=seats_sold())
            .prefetch_related(with_price_list())
        )

    @admin.display(description=gettext_lazy("Starts"), ordering="starts_at")
    def local_start(self, showtime: Showtime) -> str:
        return admin_datetime(showtime.starts_at)

    @admin.display(description=gettext_lazy("Seat map"))
    def seat_map(self, showtime: Showtime) -> str:
        states = seat_states(showtime)  # 1 query at most, whatever the room's size
        sold_ids = states.taken_ids - states.held_ids
        marks = dict.fromkeys(states.held_ids, "held") | dict.fromkeys(sold_ids, "sold")
        grid = seat_grid_display(states.seats, marks)
        free = len(states.seats) - len(states.unavailable_ids)
        return format_html(
            '{}<p class="seat-grid-legend"><span class="seat seat-sold"></span> {}'
            ' <span class="seat seat-held"></span> {} <span class="seat"></span> {}</p>',
            grid,
            _("%(count)s sold") % {"count": len(sold_ids)},
            _("%(count)s held") % {"count": len(states.held_ids)},
            _("%(count)s free") % {"count": free},
        )

    @admin.display(description=gettext_lazy("Bookings"))
    def booking_list(self, showtime: Showtime) -> str:
        bookings = Booking.objects.filter(showtime=showtime).with_details()  # 2 queries, however many
        if not bookings:
            return _("No bookings yet.")
        rows = format_html_join(
            "",
            '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>',
            (
                (
                    reverse("admin:bookings_booking_change", args=[booking.pk]),
                    booking.code,
                    booking.user.email,
                    ", ".join(booking.seat_labels()),
                    booking.get_status_display(),
                )
                for booking in bookings
            ),
        )
        return format_html(
            '<table class="booking-list"><thead><tr><th scope="col">{}</th><th scope="col">{}</th>'
            '<th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
            _("Code"),
            _("Customer"),
            _("Seats"),
            _("Status"),
            rows,
        )

    @admin.display(description=gettext_lazy("Sold / capacity"))
    def sold(self, showtime: Showtime) -> str:
        return f"{showtime.seats_sold} / {showtime.room.capacity}"

    def save_model(self, request, obj: Showtime, form, change: bool) -> None:
        data = form.cleaned_data
        prices = form.explicit_prices()
        if change:
            schedule.showtime_update(
                showtime=obj,
                movie=data["movie"],
                room=data["room"],
                starts_at=data["starts_at"],
                price=data["price"],
                prices=prices,
            )
        else:
            saved = schedule.showtime_schedule(
                movie=data["movie"],
                room=data["room"],
                starts_at=data["starts_at"],
                price=data["price"],
                prices={code: price for code, price in prices.items() if price is not None},
            )
            obj.pk = saved.pk

    def get_urls(self):
        preview = path(
            "price-preview/",
            self.admin_site.admin_view(self.price_preview),
            name="theaters_showtime_price_preview",
        )
        series = path(
            "series/", self.admin_site.admin_view(self.series_view), name="theaters_showtime_series"
        )
        return [preview, series, *super().get_urls()]  # before the catch-all "<object_id>/"

    def series_view(self, request: HttpRequest) -> TemplateResponse | HttpResponseRedirect:
        """Schedule a series (theaters/series.py): Preview shows each start's status,
        Create makes the ok ones and says what was skipped."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form_class = series_form_class()
        form = form_class(request.POST if request.method == "POST" else None)
        planned = None
        if form.is_valid():
            if "_create" in request.POST:
                try:
                    return self._create_series(request, form)
                except ScheduleError as error:
                    error.add_to_form(form)
            else:
                planned = form.planned
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Schedule a series"),
            "form": form,
            "planned": planned,
            "can_create": planned is not None and any(item.status == OK for item in planned),
        }
        return TemplateResponse(request, "admin/theaters/showtime/series.html", context)

    def _create_series(self, request: HttpRequest, form) -> HttpResponseRedirect:
        planned = series_create(form.spec())
        created = [item for item in planned if item.showtime is not None]
        for item in created:
            self.log_addition(request, item.showtime, [{"added": {}}])
        self.message_user(
            request,
            ngettext("Created %(count)s showtime.", "Created %(count)s showtimes.", len(created))
            % {"count": len(created)},
        )
        skipped = [item for item in planned if item.showtime is None]
        if skipped:
            lines = "; ".join(f"{admin_datetime(item.starts_at)}: {item.detail}" for item in skipped)
            self.message_user(
                request,
                _("Skipped %(count)s: %(lines)s") % {"count": len(skipped), "lines": lines},
                messages.WARNING,
            )
        return HttpResponseRedirect(reverse("admin:theaters_showtime_changelist"))

    def price_preview(self, request: HttpRequest) -> JsonResponse:
        """The prices the card covering `?date=&time=` (local) gives: the add form's placeholders."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        field = forms.SplitDateTimeField()
        try:
            starts_at = field.clean([request.GET.get("date", ""), request.GET.get("time", "")])
        except forms.ValidationError:
            return JsonResponse({"card": None, "prices": {}}, status=400)
        card = price_card_for(starts_at)
        prices = (
            {}
            if card is None
            else {line.ticket_type.code: money_text(line.price) for line in card.prices.all()}
        )
        return JsonResponse({"card": card.name if card else None, "prices": prices})

    @admin.display(description=gettext_lazy("Prices"))
    def price_list(self, showtime: Showtime) -> str:
        lines = offer_for(showtime).lines
        return ", ".join(f"{line.ticket_type.name} {line.price}" for line in lines) or "-"

    def delete_model(self, request, obj: Showtime) -> None:
        schedule.showtime_delete(showtime=obj)

    def view_on_site(self, showtime: Showtime) -> str:
        return reverse("bookings:seat-map", args=[showtime.pk])

    @admin.action(
        description=gettext_lazy("Cancel selected showtimes (and their bookings)"), permissions=["change"]
    )
    def cancel_showtimes(self, request, queryset: QuerySet) -> None:
        showtimes = queryset.filter(status=ShowtimeStatus.SCHEDULED)
        bookings = sum(showtime_cancel(showtime=showtime, by=request.user) for showtime in showtimes)
        self.message_user(
            request,
            _("Cancelled %(showtimes)s showtime(s) and %(bookings)s booking(s).")
            % {"showtimes": len(showtimes), "bookings": bookings},
        )


@admin.register(Hold)
class HoldAdmin(ReadOnlyPages, admin.ModelAdmin):
    """Seat holds: staff see them and can release one (its seats are free at once)."""

    list_display = ("pk", "showtime", "user", "held_seats", "expires", "state")
    list_filter = ("status",)
    list_select_related = ("showtime__movie", "showtime__room", "user")
    search_fields = ("user__email", "showtime__movie__title")
    fields = ("user", "showtime", "state", "created", "expires", "renewals", "booking")
    readonly_fields = fields
    actions = ("release_holds",)

    class Media:
        css = {"all": ["css/admin-lists.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).with_seats()

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=gettext_lazy("Seats"))
    def held_seats(self, hold: Hold) -> str:
        return ", ".join(hold.seat_labels())

    @admin.display(description=gettext_lazy("Created"), ordering="created_at")
    def created(self, hold: Hold) -> str:
        return admin_datetime(hold.created_at)

    @admin.display(description=gettext_lazy("Expires"), ordering="expires_at")
    def expires(self, hold: Hold) -> str:
        return admin_datetime(hold.expires_at)

    @admin.display(description=gettext_lazy("Status"))
    def state(self, hold: Hold) -> str:
        return HoldStatus(hold.current_status()).label

    @admin.action(
        description=gettext_lazy("Release selected holds (frees their seats)"), permissions=["change"]
    )
    def release_holds(self, request, queryset: QuerySet) -> None:
        released = holds_release_each(holds=queryset, by=request.user)
        self.message_user(
            request, _("Released %(count)s hold(s); the others had already ended.") % {"count": released}
        )


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(ReadOnlyPages, admin.ModelAdmin):
    """Waiting lists: staff see each showtime's line and can take someone off it (an
    offer's seats then go to the next in line)."""

    list_display = ("showtime", "user", "party_size", "position", "state", "joined")
    list_filter = ("status", "showtime__movie")
    list_select_related = ("showtime__movie", "showtime__room", "user", "hold")
    search_fields = ("user__email", "showtime__movie__title")
    fields = ("user", "showtime", "party_size", "position", "state", "joined", "hold")
    readonly_fields = fields
    actions = ("take_off",)

    class Media:
        css = {"all": ["css/admin-lists.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).with_position()

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=gettext_lazy("Place in line"))
    def position(self, entry: WaitlistEntry) -> int | str:
        return entry.position or "-"

    @admin.display(description=gettext_lazy("Joined"), ordering="created_at")
    def joined(self, entry: WaitlistEntry) -> str:
        return admin_datetime(entry.created_at)

    @admin.display(description=gettext_lazy("Status"))
    def state(self, entry: WaitlistEntry) -> str:
        return WaitlistStatus(entry.current_status()).label

    @admin.action(description=gettext_lazy("Take selected off the waiting list"), permissions=["change"])
    def take_off(self, request, queryset: QuerySet) -> None:
        taken = waitlist_leave_each(entries=queryset, by=request.user)
        self.message_user(
            request,
            _("Took %(count)s entry(ies) off the waiting list; the others had left it.") % {"count": taken},
        )
