"""The outgoing-mail queue (cinema/mail.py): retries with backoff, nothing lost, staff
re-send what failed, and a real `db_worker` process delivering a real queue."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from bookings.tests.factories import make_booking
from cinema.mail import deliver_mail, mail_queue
from cinema.models import MailStatus, OutgoingMail
from cinema.tests.smtp import part_of
from theaters.tests.factories import ShowtimeFactory

pytestmark = pytest.mark.django_db

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def database_queue(settings):
    """Tasks go to the database queue, as in production, instead of running at once."""
    settings.TASKS = DATABASE_BACKEND


def queued(django_capture_on_commit_callbacks, **fields) -> OutgoingMail:
    with django_capture_on_commit_callbacks(execute=True):
        return mail_queue(to="carla@example.com", subject="Hello", kind="test", text="Hi there", **fields)


def pending_deliveries() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(status=TaskResultStatus.READY).order_by("enqueued_at"))


def test_it_retries_with_backoff_after_the_server_refuses(
    database_queue, smtp_server, caplog, django_capture_on_commit_callbacks
):
    smtp_server.inbox.refuse = 2
    mail = queued(django_capture_on_commit_callbacks)
    assert len(pending_deliveries()) == 1

    with caplog.at_level(logging.WARNING, logger="cinema.mail"):
        before = timezone.now()
        assert deliver_mail.call(mail.pk) == "retrying"
        mail.refresh_from_db()
        assert (mail.status, mail.attempts) == (MailStatus.QUEUED, 1)
        assert "451" in mail.last_error and "Mailbox busy" in mail.last_error
        retry = pending_deliveries()[-1]
        assert before + timedelta(seconds=60) <= retry.run_after <= timezone.now() + timedelta(seconds=60)

        assert deliver_mail.call(mail.pk) == "retrying"
        retry = pending_deliveries()[-1]
        assert retry.run_after >= timezone.now() + timedelta(seconds=119)  # doubled

        assert deliver_mail.call(mail.pk) == "sent"

    mail.refresh_from_db()
    assert (mail.status, mail.attempts, mail.last_error) == (MailStatus.SENT, 3, "")
    assert mail.sent_at is not None
    assert [message["Subject"] for message in smtp_server.messages] == ["Hello"]
    failures = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    assert len(failures) == 2
    assert failures[0].startswith(f"mail {mail.pk} to carla@example.com failed (attempt 1 of 5)")
    assert "451" in failures[0]


def test_after_five_failures_it_stays_failed_with_its_error(
    database_queue, smtp_server, caplog, django_capture_on_commit_callbacks
):
    smtp_server.inbox.refuse = 99
    mail = queued(django_capture_on_commit_callbacks)

    results = [deliver_mail.call(mail.pk) for _attempt in range(5)]

    mail.refresh_from_db()
    assert results == ["retrying"] * 4 + ["failed"]
    assert (mail.status, mail.attempts) == (MailStatus.FAILED, 5)
    assert "Mailbox busy" in mail.last_error
    assert len(pending_deliveries()) == 1 + 4  # the first delivery and four retries, none after the last
    assert "giving up: staff can re-send it" in caplog.text
    assert smtp_server.messages == []
    # A late retry of a mail that failed for good sends nothing.
    assert deliver_mail.call(mail.pk) == "skipped"


def test_a_mail_that_cannot_reach_any_server_is_kept(
    database_queue, settings, django_capture_on_commit_callbacks
):
    from cinema.tests.smtp import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    mail = queued(django_capture_on_commit_callbacks)

    assert deliver_mail.call(mail.pk) == "retrying"

    mail.refresh_from_db()
    assert mail.status == MailStatus.QUEUED
    assert "ConnectionRefusedError" in mail.last_error


def test_theater_staff_see_the_failure_and_re_send_it(
    theater_staff, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.MAIL_MAX_ATTEMPTS = 1
    smtp_server.inbox.refuse = 1
    mail = queued(django_capture_on_commit_callbacks)  # sent at once (immediate tasks), refused, failed
    mail.refresh_from_db()
    assert mail.status == MailStatus.FAILED
    client = Client()
    client.force_login(theater_staff)

    listed = client.get(reverse("admin:cinema_outgoingmail_changelist"), {"status__exact": "failed"})
    with django_capture_on_commit_callbacks(execute=True):
        resent = client.post(
            reverse("admin:cinema_outgoingmail_changelist"),
            {"action": "resend", "_selected_action": [mail.pk]},
            follow=True,
        )

    assert listed.status_code == 200
    assert "Mailbox busy" in listed.content.decode()
    assert "1 e-mail queued to be sent again." in resent.content.decode()
    mail.refresh_from_db()
    assert (mail.status, mail.attempts, mail.last_error) == (MailStatus.SENT, 1, "")
    assert [message["Subject"] for message in smtp_server.messages] == ["Hello"]


def test_staff_cannot_add_edit_or_delete_a_mail(theater_staff, django_capture_on_commit_callbacks):
    mail = queued(django_capture_on_commit_callbacks)
    client = Client()
    client.force_login(theater_staff)

    added = client.get(reverse("admin:cinema_outgoingmail_add"))
    deleted = client.post(reverse("admin:cinema_outgoingmail_delete", args=[mail.pk]), {"post": "yes"})
    page = client.get(reverse("admin:cinema_outgoingmail_change", args=[mail.pk]))

    assert (added.status_code, deleted.status_code) == (403, 403)
    assert 'name="_save"' not in page.content.decode()
    assert OutgoingMail.objects.filter(pk=mail.pk).exists()


def test_a_password_reset_goes_through_the_queue(customer, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("accounts:password_reset"), {"email": customer.email})

    mail = OutgoingMail.objects.get()
    [message] = smtp_server.messages
    assert (mail.kind, mail.status) == ("password_reset", MailStatus.SENT)
    assert message["To"] == customer.email
    assert "/accounts/password/reset/" in part_of(message, "text/plain").get_content()


def _database_url() -> str:
    db = connection.settings_dict
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{host}/{db['NAME']}"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_worker_process_delivers_a_real_queue(customer, smtp_server, settings):
    settings.TASKS = DATABASE_BACKEND
    booking = make_booking(user=customer, showtime=ShowtimeFactory(), labels=["A1"])
    [composing] = DBTaskResult.objects.all()
    assert composing.task_path == "bookings.emails.send_booking_mail"
    assert smtp_server.messages == []  # nothing is sent by the request itself

    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_server.port}",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "DJANGO_SECRET_KEY": django_settings.SECRET_KEY,
    }
    worker = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert worker.returncode == 0, worker.stderr
    [message] = smtp_server.messages
    assert message["Subject"] == f"Your tickets for {booking.showtime.movie.title}"
    assert booking.code in part_of(message, "text/plain").get_content()
    assert set(DBTaskResult.objects.values_list("task_path", "status")) == {
        ("bookings.emails.send_booking_mail", TaskResultStatus.SUCCESSFUL),
        ("cinema.mail.deliver_mail", TaskResultStatus.SUCCESSFUL),
    }
    assert OutgoingMail.objects.get().status == MailStatus.SENT
