"""The moviegoers' box-office pages: what's on, a movie's showtimes, the seat map,
my bookings, change and cancel.

Every write goes through bookings/services.py; a refusal comes back as the
service's message on the same page.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from bookings.forms import SeatSelectionForm
from bookings.models import Booking, seats_sold
from bookings.selectors import (
    booking_by_code,
    bookings_upcoming_and_past,
    seat_map_for,
    showtimes_by_movie,
    whats_on_days,
)
from bookings.services import (
    BookingError,
    booking_cancel,
    booking_change_refusal,
    booking_change_seats,
    booking_create,
)
from movies.models import Movie
from theaters.models import Showtime


def _chosen_day(value: str, days: list[date]) -> date:
    # Anything but one of the offered days shows today: a stale or mistyped link still helps.
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return days[0]
    return day if day in days else days[0]


@require_safe
def whats_on(request: HttpRequest) -> HttpResponse:
    """What's on: the chosen day's upcoming showtimes, grouped by movie."""
    days = whats_on_days()
    day = _chosen_day(request.GET.get("day", ""), days)
    context = {"days": days, "day": day, "movies": showtimes_by_movie(day)}
    return render(request, "bookings/whats_on.html", context)


@require_safe
def movie_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A movie of the catalog with its upcoming showtimes and how full they are."""
    movie = get_object_or_404(Movie, pk=pk)
    showtimes = (
        Showtime.objects.upcoming()
        .filter(movie=movie)
        .select_related("room")
        .annotate(seats_sold=seats_sold())
        .order_by("starts_at")
    )
    return render(request, "bookings/movie_detail.html", {"movie": movie, "showtimes": showtimes})


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
        return redirect_to_login(reverse("bookings:seat-map", args=[showtime.pk]))
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
    booking = booking_by_code(request.user, code)
    if booking is None:
        raise Http404("No booking with this code.")
    return booking


@require_safe
@login_required
def booking_list(request: HttpRequest) -> HttpResponse:
    upcoming, past = bookings_upcoming_and_past(request.user)
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
