"""The moviegoers' booking pages: the seat map, my bookings, change and cancel.

Every write goes through bookings/services.py; a refusal comes back as the
service's message on the same page.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from bookings.forms import SeatSelectionForm
from bookings.models import Booking
from bookings.selectors import booking_of, bookings_of, seat_map_for
from bookings.services import (
    BookingError,
    booking_cancel,
    booking_change_refusal,
    booking_change_seats,
    booking_create,
)
from theaters.models import Showtime


def _render_seat_map(
    request: HttpRequest,
    showtime: Showtime,
    form: SeatSelectionForm,
    *,
    selected: Iterable[int] = (),
    booking: Booking | None = None,
) -> HttpResponse:
    context = {
        "showtime": showtime,
        "seat_map": seat_map_for(showtime, selected=selected, booking=booking),
        "form": form,
        "booking": booking,
        "bookable": showtime.is_bookable(),
        "max_seats": settings.MAX_SEATS_PER_BOOKING,
    }
    return render(request, "bookings/seat_map.html", context)


def _posted_seats(form: SeatSelectionForm) -> list[int]:
    return form.cleaned_data.get("seats", []) if hasattr(form, "cleaned_data") else []


@require_http_methods(["GET", "HEAD", "POST"])
def seat_map(request: HttpRequest, pk: int) -> HttpResponse:
    showtime = get_object_or_404(Showtime.objects.select_related("movie", "room"), pk=pk)
    if request.method != "POST":
        return _render_seat_map(request, showtime, SeatSelectionForm())
    if not request.user.is_authenticated:
        # Anyone may look at the map; booking needs an account, then back here.
        return redirect_to_login(showtime.get_absolute_url())
    form = SeatSelectionForm(request.POST)
    if form.is_valid():
        try:
            booking = booking_create(
                user=request.user, showtime=showtime, seat_ids=form.cleaned_data["seats"]
            )
        except BookingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Booked! Show this code at the door.")
            return redirect(booking)
    return _render_seat_map(request, showtime, form, selected=_posted_seats(form))


def _own_booking_or_404(request: HttpRequest, code: str) -> Booking:
    # Someone else's code is "not found", not "forbidden": codes are not to be probed.
    booking = booking_of(request.user, code)
    if booking is None:
        raise Http404("No booking with this code.")
    return booking


@require_safe
@login_required
def booking_list(request: HttpRequest) -> HttpResponse:
    upcoming, past = bookings_of(request.user)
    return render(request, "bookings/booking_list.html", {"upcoming": upcoming, "past": past})


@require_safe
@login_required
def booking_detail(request: HttpRequest, code: str) -> HttpResponse:
    booking = _own_booking_or_404(request, code)
    refusal = booking_change_refusal(booking=booking, by=request.user)
    return render(request, "bookings/booking_detail.html", {"booking": booking, "refusal": refusal})


def _render_refused(
    request: HttpRequest, booking: Booking, refusal: BookingError, title: str
) -> HttpResponse:
    return render(
        request, "bookings/booking_refused.html", {"booking": booking, "refusal": refusal, "title": title}
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def booking_change(request: HttpRequest, code: str) -> HttpResponse:
    booking = _own_booking_or_404(request, code)
    refusal = booking_change_refusal(booking=booking, by=request.user)
    if refusal is not None:
        return _render_refused(request, booking, refusal, "Change seats")
    held = [ticket.seat_id for ticket in booking.held_tickets()]
    if request.method != "POST":
        return _render_seat_map(
            request, booking.showtime, SeatSelectionForm(), selected=held, booking=booking
        )
    form = SeatSelectionForm(request.POST)
    if form.is_valid():
        try:
            booking = booking_change_seats(
                booking=booking, seat_ids=form.cleaned_data["seats"], by=request.user
            )
        except BookingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Your seats are changed.")
            return redirect(booking)
    return _render_seat_map(request, booking.showtime, form, selected=_posted_seats(form), booking=booking)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def booking_cancel_view(request: HttpRequest, code: str) -> HttpResponse:
    booking = _own_booking_or_404(request, code)
    refusal = booking_change_refusal(booking=booking, by=request.user)
    if refusal is None and request.method == "POST":
        try:
            booking = booking_cancel(booking=booking, by=request.user)
        except BookingError as error:  # the cut-off passed while the page was open
            refusal = error
        else:
            messages.success(request, f"Booking {booking.code} is cancelled; its seats are free again.")
            return redirect(booking)
    if refusal is not None:
        return _render_refused(request, booking, refusal, "Cancel booking")
    return render(request, "bookings/booking_cancel.html", {"booking": booking})
