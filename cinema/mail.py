"""Outgoing e-mail through the task queue; a kernel module (it imports no app).

`mail_queue` keeps the message as an `OutgoingMail` row and enqueues its
delivery once the caller's transaction commits, so a rolled-back write sends
nothing. The worker (`manage.py db_worker`) runs `deliver_mail`: an SMTP
failure is logged and tried again with backoff (`MAIL_RETRY_SECONDS`, doubling),
and after `MAIL_MAX_ATTEMPTS` the row is `failed`, with its error, for staff
to re-send from the admin.
"""

from __future__ import annotations

import base64
import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from email.mime.base import MIMEBase
from email.mime.image import MIMEImage
from email.mime.text import MIMEText
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from cinema.models import MailStatus, OutgoingMail

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    """A file sent with a mail. With `content_id` it is an inline image the HTML
    shows as `cid:<content_id>`; `params` go on its Content-Type (an .ics's method)."""

    filename: str
    content: bytes
    mimetype: str
    content_id: str = ""
    params: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {
            "filename": self.filename,
            "content": base64.b64encode(self.content).decode("ascii"),
            "mimetype": self.mimetype,
            "content_id": self.content_id,
            "params": self.params,
        }

    @classmethod
    def from_json(cls, data: dict) -> Attachment:
        return cls(
            filename=data["filename"],
            content=base64.b64decode(data["content"]),
            mimetype=data["mimetype"],
            content_id=data.get("content_id", ""),
            params=data.get("params", {}),
        )

    def mime_part(self) -> MIMEBase:
        maintype, subtype = self.mimetype.split("/", 1)
        part: MIMEBase
        if maintype == "text":
            part = MIMEText(self.content.decode("utf-8"), subtype, "utf-8")
        elif maintype == "image":
            part = MIMEImage(self.content, subtype)
        else:
            part = MIMEBase(maintype, subtype)
            part.set_payload(self.content)
        for name, value in self.params.items():
            part.set_param(name, value)
        if self.content_id:
            part.add_header("Content-ID", f"<{self.content_id}>")
            part.add_header("Content-Disposition", "inline", filename=self.filename)
        else:
            part.add_header("Content-Disposition", "attachment", filename=self.filename)
        return part


def mail_queue(
    *, to: str, subject: str, kind: str, text: str, html: str = "", attachments: Iterable[Attachment] = ()
) -> OutgoingMail:
    """Keep the mail and send it from the worker once the current transaction commits."""
    mail = OutgoingMail.objects.create(
        to=to,
        subject=subject,
        kind=kind,
        text=text,
        html=html,
        attachments=[attachment.to_json() for attachment in attachments],
    )
    transaction.on_commit(partial(deliver_mail.enqueue, mail.pk))
    return mail


def mail_resend(*, mails: Iterable[OutgoingMail]) -> int:
    """Send again (the admin's action): each starts over with a full set of attempts."""
    count = 0
    for mail in mails:
        with transaction.atomic():
            OutgoingMail.objects.filter(pk=mail.pk).update(
                status=MailStatus.QUEUED, attempts=0, last_error="", sent_at=None
            )
            transaction.on_commit(partial(deliver_mail.enqueue, mail.pk))
        count += 1
    return count


def message_of(mail: OutgoingMail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=mail.subject, body=mail.text, from_email=settings.DEFAULT_FROM_EMAIL, to=[mail.to]
    )
    if mail.html:
        message.attach_alternative(mail.html, "text/html")
    for data in mail.attachments:
        message.attach(Attachment.from_json(data).mime_part())
    return message


def retry_delay(attempts: int) -> timedelta:
    """After the n-th failure: MAIL_RETRY_SECONDS × 2^(n−1)."""
    return timedelta(seconds=settings.MAIL_RETRY_SECONDS * 2 ** (attempts - 1))


@task
def deliver_mail(mail_id: int) -> str:
    """Send one queued mail over the configured backend (EMAIL_URL)."""
    mail = OutgoingMail.objects.filter(pk=mail_id).first()
    if mail is None or mail.status != MailStatus.QUEUED:
        return "skipped"  # sent already (a re-send raced a retry), or gone
    try:
        message_of(mail).send()
    except (smtplib.SMTPException, OSError) as error:
        return _failed(mail, error)
    mail.status, mail.sent_at, mail.last_error = MailStatus.SENT, timezone.now(), ""
    mail.attempts += 1
    mail.save(update_fields=["status", "sent_at", "last_error", "attempts"])
    logger.info("mail sent", extra={"mail": mail.pk, "kind": mail.kind, "attempt": mail.attempts})
    return "sent"


def _failed(mail: OutgoingMail, error: Exception) -> str:
    mail.attempts += 1
    mail.last_error = f"{type(error).__name__}: {error}"
    final = mail.attempts >= settings.MAIL_MAX_ATTEMPTS
    if final:
        mail.status = MailStatus.FAILED
    mail.save(update_fields=["attempts", "last_error", "status"])
    logger.warning(
        "mail %s to %s failed (attempt %d of %d%s): %s",
        mail.pk,
        mail.to,
        mail.attempts,
        settings.MAIL_MAX_ATTEMPTS,
        ", giving up: staff can re-send it" if final else "",
        mail.last_error,
        extra={"mail": mail.pk, "kind": mail.kind},
    )
    if final:
        return "failed"
    retry = deliver_mail
    if retry.get_backend().supports_defer:
        retry = retry.using(run_after=timezone.now() + retry_delay(mail.attempts))
    retry.enqueue(mail.pk)
    return "retrying"
