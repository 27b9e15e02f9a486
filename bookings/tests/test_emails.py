"""The e-ticket mail, as it arrives over real SMTP (an aiosmtpd server on 127.0.0.1)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from bookings import emails, services
from bookings.models import Booking
from bookings.services import booking_cancel, booking_change_seats, hold_create, showtime_cancel
from bookings.tests.factories import make_booking
from cinema.models import MailStatus, OutgoingMail
from cinema.tests.smtp import calendar_of, decode_qr_png, part_of
from movies.tests.factories import MovieFactory
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def showtime():
    return ShowtimeFactory(
        movie=MovieFactory(title="Brief Encounter", runtime_minutes=86),
        room=RoomFactory(name="Studio 2", rows=6, seats_per_row=10),
        starts_at=datetime(2026, 12, 20, 19, 30, tzinfo=UTC),
        price=Decimal("12.50"),
    )


@pytest.fixture
def paris(settings):
    settings.TIME_ZONE = "Europe/Paris"
    settings.SITE_URL = "https://tickets.example.com"


def booked(customer, showtime, labels, django_capture_on_commit_callbacks) -> Booking:
    with django_capture_on_commit_callbacks(execute=True):
        return make_booking(user=customer, showtime=showtime, labels=labels)


def seats(showtime, *labels) -> list[int]:
    by_label = {seat.label: seat.pk for seat in showtime.room.seats.all()}
    return [by_label[label] for label in labels]


def test_it_mails_the_e_ticket_once_the_booking_commits(
    customer, showtime, paris, smtp_server, django_capture_on_commit_callbacks
):
    booking = booked(customer, showtime, ["F8", "F7", "F9"], django_capture_on_commit_callbacks)

    [message] = smtp_server.messages
    assert message["To"] == "carla@example.com"
    assert message["From"] == "Cinema <no-reply@cinema.local>"
    assert message["Subject"] == "Your tickets for Brief Encounter"
    text = part_of(message, "text/plain").get_content()
    html = part_of(message, "text/html").get_content()
    for part in (text, html):
        assert "Brief Encounter" in part
        assert "Studio 2" in part
        assert "Sunday 20 December 2026, 20:30" in part  # local (Paris) time
        assert "F7  Adult  €12.50" in part and "F9  Adult  €12.50" in part
        assert "37.50" in part
        assert booking.code in part
        assert f"https://tickets.example.com/bookings/{booking.code}/" in part
        assert "until Sunday 20 December, 20:00" in part  # the change cut-off
    qr = part_of(message, "image/png")
    assert qr["Content-ID"] == f"<{emails.QR_CONTENT_ID}>"
    assert f'src="cid:{emails.QR_CONTENT_ID}"' in html
    assert decode_qr_png(qr.get_payload(decode=True)) == [booking.code]
    mail = OutgoingMail.objects.get()
    assert (mail.kind, mail.status, mail.attempts) == ("booking_confirmed", MailStatus.SENT, 1)


def test_its_invitation_has_a_stable_uid_the_showtime_and_no_code(
    customer, showtime, paris, smtp_server, django_capture_on_commit_callbacks
):
    booking = booked(customer, showtime, ["A1"], django_capture_on_commit_callbacks)

    [message] = smtp_server.messages
    ics = part_of(message, "text/calendar")
    calendar = calendar_of(message)
    [event] = calendar.walk("VEVENT")
    assert ics.get_param("method") == "REQUEST"
    assert ics.get_filename() == "ticket.ics"
    assert calendar["METHOD"] == "REQUEST"
    assert event["UID"] == f"booking-{booking.pk}@tickets.example.com"
    assert event["SEQUENCE"] == 0
    assert event["STATUS"] == "CONFIRMED"
    assert event.decoded("DTSTART") == showtime.starts_at
    assert event.decoded("DTEND") == showtime.ends_at
    assert "Brief Encounter" in event["SUMMARY"]
    raw = ics.get_payload(decode=True).decode()
    assert booking.code not in raw
    assert "/bookings/" not in raw


def test_a_change_of_seats_sends_the_new_seats_with_a_higher_sequence(
    customer, showtime, smtp_server, django_capture_on_commit_callbacks
):
    booking = booked(customer, showtime, ["A1", "A2"], django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        booking_change_seats(booking=booking, seat_ids=seats(showtime, "A2", "A3"), by=customer)

    first, changed = smtp_server.messages
    assert changed["Subject"] == "Your new seats for Brief Encounter"
    text = part_of(changed, "text/plain").get_content()
    assert "A3  Adult  €12.50" in text and "A1 " not in text
    [event] = calendar_of(changed).walk("VEVENT")
    assert event["UID"] == calendar_of(first).walk("VEVENT")[0]["UID"]
    assert event["SEQUENCE"] == 1


def test_a_cancel_sends_a_cancelled_invitation(
    customer, showtime, smtp_server, django_capture_on_commit_callbacks
):
    booking = booked(customer, showtime, ["A1"], django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        booking_change_seats(booking=booking, seat_ids=seats(showtime, "A2"), by=customer)

    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=booking, by=customer)

    cancelled = smtp_server.messages[-1]
    assert cancelled["Subject"] == "Cancelled: your booking for Brief Encounter"
    assert "is cancelled" in part_of(cancelled, "text/plain").get_content()
    assert part_of(cancelled, "text/calendar").get_param("method") == "CANCEL"
    calendar = calendar_of(cancelled)
    [event] = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "CANCEL"
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 2
    assert not [part for part in cancelled.walk() if part.get_content_type() == "image/png"]


def test_a_cancelled_showtime_mails_each_of_its_bookings(
    customer, other_customer, staff, showtime, smtp_server, django_capture_on_commit_callbacks
):
    booked(customer, showtime, ["A1"], django_capture_on_commit_callbacks)
    booked(other_customer, showtime, ["B1"], django_capture_on_commit_callbacks)
    already = booked(other_customer, showtime, ["C1"], django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=already, by=other_customer)
    before = len(smtp_server.messages)

    with django_capture_on_commit_callbacks(execute=True):
        showtime_cancel(showtime=showtime, by=staff)

    cancels = smtp_server.messages[before:]
    assert sorted(message["To"] for message in cancels) == ["carla@example.com", "oscar@example.com"]
    assert all(calendar_of(message)["METHOD"] == "CANCEL" for message in cancels)
    assert all("this showtime has been cancelled" in part_of(m, "text/plain").get_content() for m in cancels)


def test_a_booking_from_a_hold_is_mailed_too(
    customer, showtime, smtp_server, django_capture_on_commit_callbacks
):
    hold = hold_create(user=customer, showtime=showtime, seat_ids=seats(showtime, "D4"))

    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_create_from_hold(hold=hold, by=customer)

    [message] = smtp_server.messages
    assert booking.code in part_of(message, "text/plain").get_content()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_booking_sends_nothing(customer, showtime, smtp_server, monkeypatch):
    queue = emails.booking_mail_on_commit

    def queue_then_fail(booking_ids, kind):
        queue(booking_ids, kind)
        raise RuntimeError("the transaction fails after the mail was queued")

    monkeypatch.setattr(emails, "booking_mail_on_commit", queue_then_fail)

    with pytest.raises(RuntimeError):
        make_booking(user=customer, showtime=showtime, labels=["A1"])

    assert Booking.objects.count() == 0
    assert OutgoingMail.objects.count() == 0
    assert smtp_server.messages == []


@pytest.mark.django_db(transaction=True)
def test_a_committed_booking_is_mailed_without_help(customer, showtime, smtp_server):
    """On a real commit (no test transaction around it) the mail goes out."""
    booking = make_booking(user=customer, showtime=showtime, labels=["A1"])

    [message] = smtp_server.messages
    assert booking.code in part_of(message, "text/plain").get_content()


def test_the_ticket_line_is_the_one_place_a_seat_is_written(customer, showtime):
    booking = make_booking(user=customer, showtime=showtime, labels=["B3"])

    assert emails.ticket_line(booking.ticket_list[0]) == "B3  Adult  €12.50"
