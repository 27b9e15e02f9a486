"""The moviegoers' box-office pages: what's on, a movie's showtimes, the seat map,
my bookings, change and cancel.

Every write goes through bookings/services.py; a refusal comes back as the
service's message on the same page.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.models import customer_of
from bookings.checkin import (
    CheckInError,
    booking_for_code,
    can_check_in,
    checkin_admit,
    checkin_showtimes,
    checkin_undo,
    door_count,
)
from bookings.emails import booking_ics, ticket_qr_svg
from bookings.forms import BestSeatsForm, CheckInForm, SeatSelectionForm, TicketTypesForm, WaitlistJoinForm
from bookings.models import Booking, Hold, WaitlistEntry, sales_close_at, seats_sold
from bookings.prices import from_price, lowest_price, quote_change, total_of
from bookings.seating import BestSeats
from bookings.selectors import (
    SeatMap,
    active_hold_of,
    booking_by_code,
    bookings_upcoming_and_past,
    bookings_visible_to,
    customer_session_row,
    seat_map_for,
    seat_map_with_best,
    seat_states,
    session_row,
    showtime_offer,
    showtimes_by_movie,
    waitlist_entry_of,
    waitlist_of,
    whats_on_days,
    whats_on_made_of,
)
from bookings.services import (
    BookingError,
    booking_cancel,
    booking_change_refusal,
    booking_change_seats,
    booking_create_from_hold,
    hold_create,
    hold_release,
    hold_renew,
    not_enough_seats,
    waitlist_join,
    waitlist_leave,
)
from cinema.rendered import RenderedCache
from movies.models import Genre, Movie
from movies.views import chosen_genre
from theaters.models import Seat, Showtime


def _chosen_day(value: str, days: list[date]) -> date:
    # Anything but one of the offered days shows today: a stale or mistyped link still helps.
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return days[0]
    return day if day in days else days[0]


# What's on as a visitor without a session sees it, rendered once per process
# for what it is made of (the day's rows, the genres, the address, the language):
# a hit is the 2 queries that read those rows. ~25 kB a page.
WHATS_ON_RENDERED = RenderedCache(64)


@require_safe
def whats_on(request: HttpRequest) -> HttpResponse:
    """What's on: the chosen day's upcoming showtimes, grouped by movie."""
    days = whats_on_days()
    day = _chosen_day(request.GET.get("day", ""), days)
    if not _has_no_session_nor_messages(request):
        return _render_whats_on(request, days, day)
    # The whole address as given: the page's links and its language form keep it.
    key = (whats_on_made_of(day), days[0], request.get_full_path(), get_language())
    return _for_everyone(
        request,
        WHATS_ON_RENDERED,
        key,
        lambda: (_render_whats_on(request, days, day, csrf_token=CSRF_PLACEHOLDER), None),
    )


def _render_whats_on(request: HttpRequest, days: list[date], day: date, **extra) -> HttpResponse:
    genre = chosen_genre(request)
    context = {
        "days": days,
        "day": day,
        "genres": list(Genre.objects.in_use()),
        "genre": genre,
        "movies": showtimes_by_movie(day, genre),
        **extra,
    }
    return render(request, "bookings/whats_on.html", context)


@require_safe
def movie_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A movie of the catalog with its upcoming showtimes and how full they are."""
    movie = get_object_or_404(Movie, pk=pk)
    showtimes = (
        Showtime.objects.upcoming()
        .filter(movie=movie)
        .select_related("room")
        .annotate(seats_sold=seats_sold(), lowest_price=lowest_price())
        .order_by("starts_at")
    )
    context = {
        "movie": movie,
        "genres": movie.genres.all(),
        "stills": movie.stills.all(),
        "showtimes": showtimes,
        "from_price": from_price(showtimes),
    }
    return render(request, "bookings/movie_detail.html", context)


def _render_seat_map(
    request: HttpRequest,
    showtime: Showtime,
    form: SeatSelectionForm,
    *,
    selected: Iterable[int] = (),
    booking: Booking | None = None,
    hold: Hold | None = None,
    holder=None,
    best_form: BestSeatsForm | None = None,
    best: BestSeats | None = None,
    refusal: BookingError | None = None,
    seat_map: SeatMap | None = None,
    waitlist_form: WaitlistJoinForm | None = None,
    **extra,
) -> HttpResponse:
    holder = holder or (hold.user if hold else None)
    suggested = refusal.suggested if refusal is not None else []
    seat_map = seat_map or seat_map_for(showtime, selected=selected, booking=booking, holder=holder)
    sales_closed = not request.user.is_staff and timezone.now() >= sales_close_at(showtime)
    # Sold out: the waiting list (its entry read only then, so the usual map costs nothing more).
    sold_out = showtime.is_bookable() and not sales_closed and not booking and seat_map.sold_out
    context = {
        "showtime": showtime,
        "offer": showtime_offer(showtime),
        "seat_map": seat_map,
        "sold_out": sold_out,
        "waitlist_entry": waitlist_entry_of(request.user, showtime)
        if sold_out and request.user.is_authenticated
        else None,
        "waitlist_form": waitlist_form or WaitlistJoinForm(),
        "form": form,
        "booking": booking,
        "hold": hold,
        "bookable": showtime.is_bookable(),
        "sales_closed": sales_closed,
        "max_seats": settings.MAX_SEATS_PER_BOOKING,
        "best_form": best_form or BestSeatsForm(),
        "best": best,
        # Whole lists, so that a translation can place them in its sentence.
        "best_labels": ", ".join(place.label for place in best.places) if best else "",
        "suggested": suggested,
        "suggested_labels": ", ".join(place.label for place in suggested),
        "suggested_url": reverse("bookings:seat-map", args=[showtime.pk])
        + "?"
        + urlencode({"seats": [place.pk for place in suggested]}, doseq=True),
        **extra,
    }
    return render(request, "bookings/seat_map.html", context)


# The seat map as a visitor without an account sees it is the same for all of
# them until the session's row or seats change (or its sales close): rendered
# once per process and language (1 query: the row). So is the map every customer
# without a hold of it sees, but for their name in the nav, put in per visitor.
# Bounded: a 300-seat page is ~60 kB.
SEAT_MAPS_RENDERED = RenderedCache(128)
CSRF_PLACEHOLDER = "csrf-placeholder-of-a-page-rendered-for-everyone"
NAME_PLACEHOLDER = "name-placeholder-of-a-page-rendered-for-every-customer"


@dataclass(frozen=True)
class _AnyCustomer:
    """Who the page kept for every customer is rendered for (the templates' `user`)."""

    name: str = NAME_PLACEHOLDER
    email: str = ""
    is_authenticated: bool = True
    is_staff: bool = False


def _has_no_session_nor_messages(request: HttpRequest) -> bool:
    """No session (so no account, no hold) and no messages waiting: nothing personal to show."""
    return not {settings.SESSION_COOKIE_NAME, "messages"} & request.COOKIES.keys()


def _is_a_customer_with_no_messages(request: HttpRequest) -> bool:
    # len() reads the messages without marking them shown.
    user = request.user
    return user.is_authenticated and not user.is_staff and not len(messages.get_messages(request))


def _for_everyone(
    request: HttpRequest,
    pages: RenderedCache,
    key: Hashable,
    render_page: Callable[[], tuple[HttpResponse, datetime | None]],
    name: str | None = None,
) -> HttpResponse:
    """The page kept in `pages` for `key`, made by `render_page` (the page, and until
    when it holds: no later than now, it is served but not kept) when missing, served
    with the visitor's own CSRF token put in, and their `name` if it was rendered for
    every customer."""
    now = timezone.now()
    rendered = pages.get(key, now)
    if rendered is None:
        page, valid_until = render_page()
        body, content_type = page.content, page["Content-Type"]
        if valid_until is None or valid_until > now:
            pages.put(key, body, content_type, valid_until)
    else:
        body, content_type = rendered.body, rendered.content_type
    body = body.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
    if name is not None:
        body = body.replace(NAME_PLACEHOLDER.encode(), escape(name).encode())
    return HttpResponse(body, content_type=content_type)


def _seat_map_kept(request: HttpRequest, pk: int, row: tuple | None, *, for_customers: bool) -> HttpResponse:
    """The seat map kept for everyone (or every customer) while `row`, the showtime's
    `session_row`, is unchanged."""
    if row is None:
        raise Http404("No such showtime.")

    def render_page() -> tuple[HttpResponse, datetime | None]:
        showtime = get_object_or_404(Showtime.objects.select_related("movie", "room"), pk=pk)
        now = timezone.now()
        seat_map = seat_map_for(showtime)
        if for_customers and seat_map.sold_out:
            # Sold out, it shows their place on the waiting list: theirs alone, not to keep.
            return _render_seat_map(request, showtime, SeatSelectionForm(), seat_map=seat_map), now
        page = _render_seat_map(
            request,
            showtime,
            SeatSelectionForm(),
            seat_map=seat_map,
            csrf_token=CSRF_PLACEHOLDER,
            user=_AnyCustomer() if for_customers else request.user,
        )
        # Until a hold it shows expires, or its sales close (the form goes).
        ends = [sales_close_at(showtime), seat_states(showtime, now).valid_until]
        return page, min(end for end in ends if end is not None)

    key = (pk, row, get_language(), for_customers)
    customer = customer_of(request) if for_customers else None
    name = (customer.name or customer.email) if customer else None
    return _for_everyone(request, SEAT_MAPS_RENDERED, key, render_page, name)


def _posted_seats(form: SeatSelectionForm) -> list[int]:
    return form.cleaned_data.get("seats", []) if hasattr(form, "cleaned_data") else []


def _seats_in_query(request: HttpRequest) -> list[int]:
    """Seats to show ticked, from `?seats=` (back from an expired hold): ids only, others dropped."""
    form = SeatSelectionForm({"seats": request.GET.getlist("seats")})
    return form.cleaned_data["seats"] if form.is_valid() else []


@require_http_methods(["GET", "HEAD", "POST"])
def seat_map(request: HttpRequest, pk: int) -> HttpResponse:
    """The seat map; **Continue** holds the chosen seats and goes to checkout."""
    if request.method != "POST" and not request.GET:
        if _has_no_session_nor_messages(request):
            return _seat_map_kept(request, pk, session_row(pk), for_customers=False)
        if _is_a_customer_with_no_messages(request):
            row, holds_seats = customer_session_row(request.user, pk)
            if not holds_seats:  # else the map shows their hold: below
                return _seat_map_kept(request, pk, row, for_customers=True)
    showtime = get_object_or_404(Showtime.objects.select_related("movie", "room"), pk=pk)
    if request.method != "POST":
        hold = active_hold_of(request.user, showtime) if request.user.is_authenticated else None
        if "best" in request.GET:
            return _render_best_seats(request, showtime, hold)
        if hold is not None:
            held = [held.seat_id for held in hold.seat_list]
            return _render_seat_map(request, showtime, SeatSelectionForm(), selected=held, hold=hold)
        return _render_seat_map(request, showtime, SeatSelectionForm(), selected=_seats_in_query(request))
    if not request.user.is_authenticated:
        # Anyone may look at the map; holding seats needs an account, then back to the same choice.
        chosen = SeatSelectionForm(request.POST)
        query = urlencode({"seats": chosen.cleaned_data["seats"]}, doseq=True) if chosen.is_valid() else ""
        return redirect_to_login(
            reverse("bookings:seat-map", args=[showtime.pk]) + (f"?{query}" if query else "")
        )
    form = SeatSelectionForm(request.POST)
    if form.is_valid():
        try:
            hold = hold_create(user=request.user, showtime=showtime, seat_ids=form.cleaned_data["seats"])
        except BookingError as error:
            error.add_to_form(form)
            return _render_seat_map(
                request, showtime, form, selected=_posted_seats(form), holder=request.user, refusal=error
            )
        else:
            return redirect(hold)
    return _render_seat_map(request, showtime, form, selected=_posted_seats(form), holder=request.user)


def _render_best_seats(request: HttpRequest, showtime: Showtime, hold: Hold | None) -> HttpResponse:
    """The map with the best N seats ticked (`?best=N`): Continue holds them."""
    best_form = BestSeatsForm(request.GET)
    if not best_form.is_valid():
        return _render_seat_map(request, showtime, SeatSelectionForm(), hold=hold, best_form=best_form)
    count = best_form.cleaned_data["best"]
    holder = request.user if request.user.is_authenticated else None
    best, seat_map = seat_map_with_best(showtime, count, holder=holder)
    if best is None:
        best_form.add_error("best", not_enough_seats(count).message)
    return _render_seat_map(
        request, showtime, SeatSelectionForm(), hold=hold, best_form=best_form, best=best, seat_map=seat_map
    )


@require_safe
def seat_states_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The live seat map's poll: which seats no one can take now. A conditional GET
    whose states have not changed is a 304 that reads no seats (1 query)."""
    showtime = get_object_or_404(Showtime.objects.only("pk", "room_id", "seats_version"), pk=pk)
    states = seat_states(showtime)
    response: HttpResponse
    if request.headers.get("If-None-Match") == states.etag:
        response = HttpResponseNotModified()
    else:
        response = JsonResponse(states.live_states)
    response["ETag"] = states.etag
    response["Cache-Control"] = "no-cache"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def checkout(request: HttpRequest, pk: int) -> HttpResponse:
    """A hold's checkout: its seats and total, its expiry; confirm, extend or release."""
    # Someone else's hold is "not found", as a booking is.
    hold = get_object_or_404(
        Hold.objects.filter(user=customer_of(request)).select_related("showtime__movie", "showtime__room"),
        pk=pk,
    )
    action = request.POST.get("action") if request.method == "POST" else None
    try:
        if action == "renew":
            hold = hold_renew(hold=hold, by=request.user)
            messages.success(request, _("Your seats are held a little longer."))
            return redirect(hold)
        if action == "release":
            hold_release(hold=hold, by=request.user)
            messages.info(request, _("Your seats are released."))
            return redirect("bookings:seat-map", hold.showtime_id)
    except BookingError as error:
        messages.error(request, error.message)
        return redirect(hold)
    if request.method == "POST" and action != "confirm":
        return redirect(hold)
    showtime = hold.showtime
    seats = [held.seat for held in hold.seat_list]
    offer = showtime_offer(showtime)
    form = TicketTypesForm(request.POST or None, offer=offer, seat_count=len(seats))
    if action == "confirm" and form.is_valid():
        try:
            ticket_types = offer.assign(seats, form.counts())
            booking = booking_create_from_hold(hold=hold, by=request.user, ticket_types=ticket_types)
        except BookingError as error:
            if error.code not in TICKET_CHOICE_CODES:
                messages.error(request, error.message)
                return redirect(hold)
            error.add_to_form(form)
        else:
            messages.success(request, _("Booked! Show this code at the door."))
            return redirect(booking)
    # Lines in seat order as the booking will be: the form's counts (or all adult) assigned.
    # The lines as chosen, even when refused (children alone), so the customer sees what was refused.
    lines = _checkout_lines(offer, seats, form.counts() if hasattr(form, "cleaned_data") else {})
    context = {
        "hold": hold,
        "showtime": showtime,
        "form": form,
        "lines": lines,
        "total": total_of(price for _seat, _name, price in lines),
        "active": hold.is_active(),
        "back_to_map": reverse("bookings:seat-map", args=[showtime.pk])
        + "?"
        + urlencode({"seats": [seat.pk for seat in seats]}, doseq=True),
    }
    return render(request, "bookings/checkout.html", context)


# Refusals about the chosen ticket types: shown on the checkout's form, the rest as messages.
TICKET_CHOICE_CODES = frozenset({"adult_required", "unknown_ticket_type", "ticket_count_mismatch"})


def _checkout_lines(offer, seats, counts) -> list[tuple[str, str, Decimal]]:
    """(seat label, ticket type name, price) per held seat; all adult if the counts don't fit."""
    try:
        priced = offer.price(seats, offer.assign(seats, counts))
    except BookingError:
        priced = offer.price(seats)
    return [(ticket.seat.label, ticket.ticket_type.name, ticket.price) for ticket in priced]


def _own_booking_or_404(request: HttpRequest, code: str) -> Booking:
    # Someone else's code is "not found", not "forbidden": codes are not to be probed.
    booking = booking_by_code(request.user, code)
    if booking is None:
        raise Http404(_("No booking with this code."))
    return booking


@require_safe
@login_required
def booking_list(request: HttpRequest) -> HttpResponse:
    upcoming, past = bookings_upcoming_and_past(request.user)
    context = {"upcoming": upcoming, "past": past, "waitlist": waitlist_of(request.user)}
    return render(request, "bookings/booking_list.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def waitlist_join_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A sold-out seat map's **Join the waiting list** (after a login, GET leads back to the map)."""
    showtime = get_object_or_404(Showtime.objects.select_related("movie", "room"), pk=pk)
    if request.method != "POST":
        return redirect("bookings:seat-map", showtime.pk)
    form = WaitlistJoinForm(request.POST)
    if form.is_valid():
        try:
            entry = waitlist_join(
                user=request.user, showtime=showtime, party_size=form.cleaned_data["party_size"]
            )
        except BookingError as error:
            error.add_to_form(form)
        else:
            messages.success(
                request,
                _(
                    "You are number %(position)s on the waiting list for %(movie)s. "
                    "We will e-mail you when seats for your party come free."
                )
                % {"position": entry.position, "movie": showtime.movie.title},
            )
            return redirect("bookings:booking-list")
    return _render_seat_map(request, showtime, SeatSelectionForm(), holder=request.user, waitlist_form=form)


@require_http_methods(["POST"])
@login_required
def waitlist_leave_view(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(
        WaitlistEntry.objects.select_related("showtime__movie"), pk=pk, user=request.user
    )
    waitlist_leave(entry=entry, by=request.user)
    messages.info(
        request, _("You have left the waiting list for %(movie)s.") % {"movie": entry.showtime.movie.title}
    )
    return redirect("bookings:booking-list")


@require_safe
@login_required
def booking_detail(request: HttpRequest, code: str) -> HttpResponse:
    booking = _own_booking_or_404(request, code)
    refusal = booking_change_refusal(booking=booking, by=request.user)
    context = {"booking": booking, "refusal": refusal, "qr_svg": ticket_qr_svg(booking)}
    return render(request, "bookings/booking_detail.html", context)


@require_safe
@login_required
def booking_calendar(request: HttpRequest, code: str) -> HttpResponse:
    """The booking's calendar invitation, the same `.ics` as the e-mail's (owner or staff)."""
    booking = bookings_visible_to(request.user).filter(code=code.upper()).first()
    if booking is None:
        raise Http404(_("No booking with this code."))
    response = HttpResponse(booking_ics(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="booking-{booking.code}.ics"'
    return response


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
        return _render_refused(request, booking, refusal, _("Change seats"))
    held = [ticket.seat_id for ticket in booking.held_tickets()]
    if request.method != "POST":
        return _render_seat_map(
            request, booking.showtime, SeatSelectionForm(), selected=held, booking=booking
        )
    form = SeatSelectionForm(request.POST)
    seats = (
        list(
            Seat.objects.filter(room_id=booking.showtime.room_id, pk__in=form.cleaned_data["seats"]).order_by(
                "row", "number"
            )
        )
        if form.is_valid() and request.POST.get("action") == "review"
        else []
    )
    if seats:  # reviewed before it is confirmed; no seats at all is the service's refusal below
        try:
            quote = quote_change(
                showtime_offer(booking.showtime), booking.held_tickets(), seats, booking.total_price
            )
        except BookingError as error:
            form.add_error(None, error.message)
        else:
            context = {"booking": booking, "quote": quote, "seat_ids": [seat.pk for seat in seats]}
            return render(request, "bookings/booking_change_review.html", context)
    elif form.is_valid():
        try:
            booking = booking_change_seats(
                booking=booking, seat_ids=form.cleaned_data["seats"], by=request.user
            )
        except BookingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your seats are changed."))
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
            messages.success(
                request,
                _("Booking %(code)s is cancelled; its seats are free again.") % {"code": booking.code},
            )
            return redirect(booking)
    if refusal is not None:
        return _render_refused(request, booking, refusal, _("Cancel booking"))
    return render(request, "bookings/booking_cancel.html", {"booking": booking})


# Check-in at the door (DESIGN.md "Check-in at the door"): staff on a phone.


def door_staff_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous visitors log in; customers (and staff without the check-in permission) get a 403."""

    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_check_in(request.user):
            raise PermissionDenied(_("Check-in is for the theater's staff."))
        return view(request, *args, **kwargs)

    return guarded


@require_safe
@door_staff_only
def checkin_pick(request: HttpRequest) -> HttpResponse:
    """Today's showtimes, soonest first: the door picks the one it admits to."""
    today = timezone.localdate()
    return render(
        request, "bookings/checkin_pick.html", {"showtimes": checkin_showtimes(today), "day": today}
    )


def _render_door(
    request: HttpRequest, showtime: Showtime, form: CheckInForm, answer: dict | None = None, status: int = 200
) -> HttpResponse:
    context = {"showtime": showtime, "form": form, "answer": answer, "count": door_count(showtime)}
    return render(request, "bookings/checkin.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@door_staff_only
def checkin_door(request: HttpRequest, pk: int) -> HttpResponse:
    """Type (or scan) a code; the answer fills the screen, green or red, and the form is ready again."""
    showtime = get_object_or_404(Showtime.objects.select_related("movie", "room"), pk=pk)
    if request.method != "POST":
        return _render_door(request, showtime, CheckInForm())
    form = CheckInForm(request.POST)
    if not form.is_valid():
        return _render_door(request, showtime, form, status=400)
    code = form.cleaned_data["code"]
    booking = booking_for_code(code)
    if booking is None:
        answer = {
            "ok": False,
            "title": _("Unknown code"),
            "detail": _("No booking has the code %(code)s.") % {"code": code},
        }
        return _render_door(request, showtime, CheckInForm(), answer)
    try:
        checkin_admit(booking=booking, showtime=showtime, by=request.user)
    except CheckInError as refusal:
        answer = {
            "ok": False,
            "title": _("Not admitted"),
            "detail": refusal.message,
            "booking": booking,
            "undo": refusal.code == "already_checked_in",
        }
        return _render_door(request, showtime, CheckInForm(), answer)
    seats = booking.seat_labels()
    title = ngettext(
        "Admitted — %(count)s seat: %(seats)s", "Admitted — %(count)s seats: %(seats)s", len(seats)
    ) % {
        "count": len(seats),
        "seats": ", ".join(seats),
    }
    answer = {
        "ok": True,
        "title": title,
        "detail": _("Booking %(code)s") % {"code": booking.code},
        "booking": booking,
        "undo": True,
    }
    return _render_door(request, showtime, CheckInForm(), answer)


@require_http_methods(["POST"])
@door_staff_only
def checkin_undo_view(request: HttpRequest, pk: int) -> HttpResponse:
    showtime = get_object_or_404(Showtime.objects.select_related("movie", "room"), pk=pk)
    form = CheckInForm(request.POST)
    booking = booking_for_code(form.cleaned_data["code"]) if form.is_valid() else None
    if booking is None or checkin_undo(booking=booking, by=request.user) is None:
        answer = {"ok": False, "title": _("Nothing to undo"), "detail": _("This booking is not checked in.")}
    else:
        answer = {
            "ok": None,
            "title": _("Check-in undone"),
            "detail": _("Booking %(code)s is no longer checked in.") % {"code": booking.code},
        }
    return _render_door(request, showtime, CheckInForm(), answer)


@require_safe
@door_staff_only
def checkin_count(request: HttpRequest, pk: int) -> JsonResponse:
    """The live count the door's page refreshes: tickets admitted of tickets sold."""
    showtime = get_object_or_404(Showtime, pk=pk)
    count = door_count(showtime)
    return JsonResponse({"admitted": count.admitted, "sold": count.sold})
