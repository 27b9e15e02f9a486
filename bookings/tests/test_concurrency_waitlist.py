"""Waiting list races on PostgreSQL: one customer joining twice at once, and two real
`db_worker` processes handing out freed seats (each offered exactly once)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import IntegrityError, connection, transaction
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from accounts.tests.factories import UserFactory
from bookings.models import HoldSeat, WaitlistEntry, WaitlistStatus
from bookings.services import BookingError, booking_cancel, offer_freed_seats, waitlist_join
from bookings.tests.factories import make_booking
from cinema.models import OutgoingMail
from cinema.tests.races import race
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


def outcome(result: object) -> str:
    if isinstance(result, WaitlistEntry):
        return "joined"
    if isinstance(result, BookingError):
        return result.code
    return repr(result)


@pytest.fixture
def sold_out(staff):
    showtime = ShowtimeFactory(room=RoomFactory(rows=1, seats_per_row=4))
    bookings = [make_booking(user=staff, showtime=showtime, labels=[f"A{n}"]) for n in range(1, 5)]
    return showtime, bookings


def test_one_customer_joining_twice_at_once_is_on_the_list_once(customer, sold_out):
    showtime, _ = sold_out

    results = race([lambda: waitlist_join(user=customer, showtime=showtime, party_size=1)] * 4)

    assert Counter(map(outcome, results)) == {"joined": 1, "already_waiting": 3}
    assert WaitlistEntry.objects.filter(user=customer).count() == 1


def test_the_database_keeps_one_live_entry_per_customer(customer, sold_out):
    showtime, _ = sold_out
    WaitlistEntry.objects.create(user=customer, showtime=showtime, party_size=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        WaitlistEntry.objects.create(user=customer, showtime=showtime, party_size=2)
    WaitlistEntry.objects.update(status=WaitlistStatus.LEFT)
    WaitlistEntry.objects.create(user=customer, showtime=showtime, party_size=2)  # after leaving: fine


def _database_url() -> str:
    db = connection.settings_dict
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{host}/{db['NAME']}"


def test_two_workers_offer_each_freed_seat_exactly_once(sold_out, staff, smtp_server, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    showtime, bookings = sold_out
    waiting = [UserFactory(email=f"waiting{n}@example.com") for n in range(4)]
    for user in waiting:
        waitlist_join(user=user, showtime=showtime, party_size=1)
    for booking in bookings[:2]:
        booking_cancel(booking=booking, by=staff)  # each enqueues a hand-over: two seats free
    for _ in range(6):  # and more runs of it than seats, for the two workers to race on
        offer_freed_seats.enqueue(showtime.pk)
    DBTaskResult.objects.filter(task_path="bookings.emails.send_booking_mail").delete()

    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_server.port}",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "DJANGO_SECRET_KEY": django_settings.SECRET_KEY,
    }
    command = [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"]
    workers = [
        subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    finished = [worker.communicate(timeout=120) for worker in workers]

    assert [worker.returncode for worker in workers] == [0, 0], [err for _, err in finished]
    offers = WaitlistEntry.objects.filter(status=WaitlistStatus.OFFERED).order_by("created_at")
    assert [entry.user for entry in offers] == waiting[:2]  # the first two in line, once each
    assert WaitlistEntry.objects.filter(status=WaitlistStatus.WAITING).count() == 2
    held = HoldSeat.objects.filter(active=True).select_related("seat")
    assert sorted(held_seat.seat.label for held_seat in held) == ["A1", "A2"]
    assert OutgoingMail.objects.filter(kind="waitlist_offer").count() == 2
    offered = [m["To"] for m in smtp_server.messages if m["Subject"].endswith("are waiting for you")]
    assert sorted(offered) == [user.email for user in waiting[:2]]
    runs = DBTaskResult.objects.filter(task_path="bookings.services.offer_freed_seats")
    assert not runs.filter(status=TaskResultStatus.FAILED).exists()
    made = runs.filter(status=TaskResultStatus.SUCCESSFUL).values_list("return_value", flat=True)
    assert len(made) == 8 and sum(made) == 2  # every run ran, two offers in all
    # Each offer's hand-over waits for its expiry.
    assert runs.filter(status=TaskResultStatus.READY, run_after__isnull=False).count() == 2
