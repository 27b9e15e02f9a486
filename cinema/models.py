"""The kernel's one table of its own: every e-mail the site sends (cinema/mail.py)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class MailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutgoingMail(models.Model):
    """One e-mail, kept whole so that nothing is lost: the worker sends it, a failure
    is retried with backoff, and one that failed every attempt stays for staff to
    re-send. Attachments are kept as JSON (base64 content, see cinema/mail.py)."""

    to = models.EmailField()
    subject = models.CharField(max_length=255)
    kind = models.CharField(max_length=40, help_text=_("What it is about, e.g. booking_confirmed."))
    text = models.TextField()
    html = models.TextField(blank=True)
    attachments = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=MailStatus.choices, default=MailStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        constraints = [
            models.CheckConstraint(
                condition=Q(status=MailStatus.SENT, sent_at__isnull=False)
                | (~Q(status=MailStatus.SENT) & Q(sent_at__isnull=True)),
                name="cinema_outgoingmail_sent_at_matches_status",
            ),
        ]
        indexes = [models.Index(fields=["status", "-created_at"], name="cinema_outgoingmail_status_idx")]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"
