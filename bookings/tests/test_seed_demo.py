"""seed_demo: a believable cinema, history included, that a second run leaves as it
is, with logins that can do what the README says each can."""

from __future__ import annotations

from datetime import datetime, timedelta
from statistics import mean

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db.models import Count, F, Q, Sum
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from bookings.emails import send_booking_mail
from bookings.management.commands.seed_demo import CUSTOMER, LOGINS, STAFF_MEMBER, SUPERUSER
from bookings.models import Booking, BookingStatus, Ticket, TicketRelease
from bookings.reports import default_report_range
from movies.models import Movie
from theaters.models import Room, Seat, Showtime

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (User, Movie, Room, Seat, Showtime, Booking, Ticket)
    }


def occupancy(showtimes) -> list[tuple[Showtime, float]]:
    sold = showtimes.annotate(sold=Count("tickets", filter=Q(tickets__active=True))).select_related("room")
    return [(showtime, showtime.sold / showtime.room.capacity) for showtime in sold]


def local(showtime: Showtime) -> datetime:
    return timezone.localtime(showtime.starts_at)


def test_it_gives_the_same_data_when_run_twice(capsys):
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")

    assert counts() == first
    assert first["Room"] == 3 and first["Movie"] == 8
    assert Room.objects.filter(capacity__gte=300).exists()
    assert first["Showtime"] > 100 and first["Booking"] > 0
    out = capsys.readouterr().out
    assert all(f"{login.email} / {login.password}" in out for login in LOGINS)


def test_its_past_30_days_are_20_to_90_percent_full_busier_in_the_evenings_and_at_weekends():
    call_command("seed_demo", verbosity=0)

    past = occupancy(Showtime.objects.filter(starts_at__lte=timezone.now()))
    first_day, _ = default_report_range()
    assert {first_day + timedelta(days=n) for n in range(30)} <= {
        local(s).date() for s, share in past if share
    }
    assert all(0.2 <= share <= 0.9 for _, share in past)
    mornings = mean(share for s, share in past if local(s).hour < 12)
    evenings = mean(share for s, share in past if 17 <= local(s).hour < 21)
    weekends = mean(share for s, share in past if local(s).weekday() >= 5)
    weekdays = mean(share for s, share in past if local(s).weekday() < 4)
    assert evenings > mornings + 0.2
    assert weekends > weekdays + 0.05


def test_it_sells_out_a_premiere_and_has_some_cancellations():
    call_command("seed_demo", verbosity=0)

    now = timezone.now()
    sold_out = [s for s, share in occupancy(Showtime.objects.filter(starts_at__gt=now)) if share == 1]
    assert len(sold_out) == 1
    premiere = sold_out[0]
    assert not Showtime.objects.filter(movie=premiere.movie, starts_at__lt=premiere.starts_at).exists()
    assert Booking.objects.filter(showtime=premiere, user__email=CUSTOMER.email).exists()
    cancelled = Booking.objects.filter(status=BookingStatus.CANCELLED)
    assert cancelled.filter(showtime__starts_at__lte=now).count() > 100
    assert cancelled.filter(showtime__starts_at__gt=now).exists()


def test_its_bookings_past_and_future_keep_the_rules_of_the_services():
    call_command("seed_demo", verbosity=0)

    # Each query finds the bookings or tickets that break one rule: there must be none.
    bookings = Booking.objects.annotate(
        tickets_total=Sum("tickets__price"),
        seats=Count("tickets"),
        held=Count("tickets", filter=Q(tickets__active=True)),
    )
    assert not bookings.exclude(total_price=F("tickets_total")).exists()
    assert not bookings.exclude(seats__range=(1, settings.MAX_SEATS_PER_BOOKING)).exists()
    assert not bookings.filter(status=BookingStatus.CONFIRMED).exclude(held=F("seats")).exists()
    assert not bookings.filter(status=BookingStatus.CANCELLED, held__gt=0).exists()
    assert not Ticket.objects.exclude(showtime=F("booking__showtime")).exists()
    assert not Booking.objects.filter(created_at__gte=F("showtime__starts_at")).exists()
    assert not Booking.objects.filter(created_at__lte=F("user__date_joined")).exists()
    cancelled = Booking.objects.filter(status=BookingStatus.CANCELLED)
    cutoff = timedelta(minutes=settings.BOOKING_CHANGE_CUTOFF_MINUTES)
    assert not cancelled.exclude(cancelled_by=F("user")).exists()
    assert not cancelled.filter(cancelled_at__lt=F("created_at")).exists()
    assert not cancelled.filter(cancelled_at__gt=F("showtime__starts_at") - cutoff).exists()
    assert (
        not Ticket.objects.filter(booking__status=BookingStatus.CANCELLED)
        .exclude(released_at=F("booking__cancelled_at"), released_because=TicketRelease.BOOKING_CANCELLED)
        .exists()
    )
    per_customer = (
        Ticket.objects.filter(active=True).values("showtime", "booking__user").annotate(n=Count("id"))
    )
    assert max(row["n"] for row in per_customer) <= settings.MAX_SEATS_PER_CUSTOMER
    previous: dict[int, Showtime] = {}
    for showtime in Showtime.objects.scheduled().order_by("starts_at"):
        before = previous.get(showtime.room_id)
        assert before is None or before.room_free_at <= showtime.starts_at, f"{before} meets {showtime}"
        previous[showtime.room_id] = showtime


def test_its_logins_can_do_what_the_readme_says_each_can(client):
    call_command("seed_demo", verbosity=0)

    superuser = User.objects.get(email=SUPERUSER.email)
    staff = User.objects.get(email=STAFF_MEMBER.email)
    group = Group.objects.get(name="Theater staff")
    assert superuser.is_superuser and superuser.is_staff
    assert staff.is_staff and not staff.is_superuser
    assert list(staff.groups.all()) == [group] and not staff.user_permissions.exists()
    assert staff.get_all_permissions() == {
        f"{permission.content_type.app_label}.{permission.codename}"
        for permission in group.permissions.select_related("content_type")
    }
    assert not User.objects.get(email=CUSTOMER.email).is_staff
    for login in LOGINS:
        # django-axes needs the request that a real login has.
        assert client.login(request=HttpRequest(), username=login.email, password=login.password)

    # The staff member does the daily work: movies, rooms, showtimes, reservations, insights.
    client.force_login(staff)
    for name in ("movies_movie_add", "theaters_room_add", "theaters_showtime_add"):
        assert client.get(reverse(f"admin:{name}")).status_code == 200, name
    assert "cancel_showtimes" in client.get(reverse("admin:theaters_showtime_changelist")).content.decode()
    assert "cancel_bookings" in client.get(reverse("admin:bookings_booking_changelist")).content.decode()
    assert client.get(reverse("insights:dashboard")).status_code == 200
    # ...and only sees users; lockouts are the superuser's.
    user_page = reverse("admin:accounts_user_change", args=[staff.pk])
    assert 'name="_save"' not in client.get(user_page).content.decode()
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403

    client.force_login(superuser)
    assert 'name="_save"' in client.get(user_page).content.decode()
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 200


def test_it_mails_only_the_demo_moviegoer_not_the_crowd(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        call_command("seed_demo")

    mailed = [c.args[0] for c in callbacks if getattr(c, "func", None) == send_booking_mail.enqueue]
    owners = set(Booking.objects.filter(pk__in=mailed).values_list("user__email", flat=True))
    assert mailed and owners == {CUSTOMER.email}
    assert Booking.objects.exclude(user__email=CUSTOMER.email).exists()
