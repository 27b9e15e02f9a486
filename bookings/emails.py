"""The e-ticket: the mail a moviegoer gets after a booking, a change of seats or a
cancel commits (DESIGN.md "E-tickets"), with its QR code and calendar invitation.

The services enqueue `send_booking_mail` on commit; the worker composes the mail
from the booking as it then is and hands it to the outgoing-mail queue
(cinema/mail.py), which sends and retries it. A mail is written in the language
its customer booked or joined the waiting list in (`language`), whoever caused it.
The same QR code (SVG) and `.ics` serve the ticket page.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from email.utils import parseaddr
from functools import partial
from urllib.parse import urlsplit

import icalendar
import segno
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from bookings.models import Booking, Hold, Ticket
from cinema.mail import Attachment, mail_queue
from cinema.money import format_money

CONFIRMED, CHANGED, CANCELLED = "booking_confirmed", "booking_changed", "booking_cancelled"
WAITLIST_OFFER = "waitlist_offer"
SUBJECTS = {
    CONFIRMED: gettext_lazy("Your tickets for %(movie)s"),
    CHANGED: gettext_lazy("Your new seats for %(movie)s"),
    CANCELLED: gettext_lazy("Cancelled: your booking for %(movie)s"),
}
QR_CONTENT_ID = "ticket-qr@cinema"

_muted: ContextVar[bool] = ContextVar("booking_mails_muted", default=False)


@contextmanager
def booking_mails_muted() -> Iterator[None]:
    """For bulk writers such as seed_demo: the bookings written inside send no mail."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def booking_mail_on_commit(booking_ids: list[int], kind: str) -> None:
    """Mail each booking's owner once the current transaction commits (nothing if it rolls back)."""
    if _muted.get():
        return
    for booking_id in booking_ids:
        transaction.on_commit(partial(send_booking_mail.enqueue, booking_id, kind))


def ticket_line(ticket: Ticket) -> str:
    """One seat of the ticket as the mail lists it ("F7  Adult  12.50")."""
    return f"{ticket.seat.label}  {ticket.ticket_type.name}  {format_money(ticket.price)}"


def ticket_qr(booking: Booking) -> segno.QRCode:
    """The code alone: what the door's scanner reads and what staff can type."""
    return segno.make(booking.code, error="m", micro=False)


def ticket_qr_svg(booking: Booking) -> SafeString:
    """The QR code as inline SVG (no style attributes: the page's CSP allows none)."""
    svg = ticket_qr(booking).svg_inline(scale=1, omitsize=True, svgclass="ticket-qr", title="")
    return mark_safe(svg)  # segno's own markup; the code is only letters and digits


def ticket_qr_png(booking: Booking) -> bytes:
    out = io.BytesIO()
    ticket_qr(booking).save(out, kind="png", scale=8, border=4)
    return out.getvalue()


def booking_url(booking: Booking) -> str:
    return settings.SITE_URL + booking.get_absolute_url()


def booking_ics(booking: Booking) -> bytes:
    """The calendar invitation: one UID per booking, SEQUENCE its change count, a
    cancel for a cancelled booking. No code and no link to the ticket: an
    invitation is copied to calendars that others may read."""
    showtime = booking.showtime
    cancelled = booking.is_cancelled
    host = urlsplit(settings.SITE_URL).hostname or "cinema.local"
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Cinema//Box office//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = icalendar.Event()
    event.add("uid", f"booking-{booking.pk}@{host}")
    event.add("sequence", booking.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", showtime.starts_at)
    event.add("dtend", showtime.ends_at)
    event.add("summary", f"{showtime.movie.title} ({showtime.room.name})")
    event.add("location", showtime.room.name)
    seats = ", ".join(booking.seat_labels())
    event.add(
        "description",
        _("Seats %(seats)s. Show the e-ticket from your e-mail at the door.") % {"seats": seats},
    )
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    organizer = icalendar.vCalAddress(f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
    organizer.params["cn"] = icalendar.vText("Cinema")
    event.add("organizer", organizer)
    event.add("attendee", icalendar.vCalAddress(f"mailto:{booking.user.email}"))
    calendar.add_component(event)
    return calendar.to_ical()


def booking_mail_context(booking: Booking, kind: str) -> dict:
    return {
        "booking": booking,
        "kind": kind,
        "cancelled": kind == CANCELLED,
        "changed": kind == CHANGED,
        "ticket_lines": [ticket_line(ticket) for ticket in booking.held_tickets()],
        "total": format_money(booking.total_price),
        "starts_at": timezone.localtime(booking.showtime.starts_at),
        "change_cutoff": timezone.localtime(booking.change_cutoff),
        "url": booking_url(booking),
        "qr_cid": QR_CONTENT_ID,
    }


@task
def send_booking_mail(booking_id: int, kind: str) -> None:
    """Compose the e-ticket mail of a booking as it is now, in its language, and queue it for sending."""
    booking = Booking.objects.with_details().filter(pk=booking_id).first()
    if booking is None:
        return
    with translation.override(booking.language or settings.LANGUAGE_CODE):
        _queue_booking_mail(booking, kind)


def _queue_booking_mail(booking: Booking, kind: str) -> None:
    context = booking_mail_context(booking, kind)
    method = "CANCEL" if booking.is_cancelled else "REQUEST"
    attachments = [
        Attachment("ticket.ics", booking_ics(booking), "text/calendar", params={"method": method}),
    ]
    if kind != CANCELLED:
        attachments.insert(
            0, Attachment("ticket-qr.png", ticket_qr_png(booking), "image/png", content_id=QR_CONTENT_ID)
        )
    mail_queue(
        to=booking.user.email,
        subject=SUBJECTS[kind] % {"movie": booking.showtime.movie.title},
        kind=kind,
        text=render_to_string("bookings/email/booking.txt", context),
        html=render_to_string("bookings/email/booking.html", context),
        attachments=attachments,
    )


def waitlist_offer_mail_on_commit(hold: Hold) -> None:
    """Mail the waiting customer the offer of `hold` once the offer commits (an offer
    rolled back sends nothing), composed by the worker, off the showtime's lock."""
    transaction.on_commit(partial(send_waitlist_offer_mail.enqueue, hold.pk))


@task
def send_waitlist_offer_mail(hold_id: int) -> None:
    """Queue the mail offering the hold's seats, with a link to its checkout, while it lasts,
    in the language its waiting-list entry was made in."""
    hold = (
        Hold.objects.with_seats()
        .select_related("showtime__movie", "user", "waitlist_entry")
        .filter(pk=hold_id)
        .first()
    )
    if hold is None or not hold.is_active():
        return  # taken up, released or run out before the worker came to it
    entry = getattr(hold, "waitlist_entry", None)
    with translation.override((entry.language if entry else "") or settings.LANGUAGE_CODE):
        _queue_waitlist_offer_mail(hold)


def _queue_waitlist_offer_mail(hold: Hold) -> None:
    showtime = hold.showtime
    context = {
        "showtime": showtime,
        "starts_at": timezone.localtime(showtime.starts_at),
        "expires_at": timezone.localtime(hold.expires_at),
        "seats": ", ".join(hold.seat_labels()),
        "url": settings.SITE_URL + hold.get_absolute_url(),
    }
    mail_queue(
        to=hold.user.email,
        subject=_("Seats for %(movie)s are waiting for you") % {"movie": showtime.movie.title},
        kind=WAITLIST_OFFER,
        text=render_to_string("bookings/email/waitlist_offer.txt", context),
        html=render_to_string("bookings/email/waitlist_offer.html", context),
    )
