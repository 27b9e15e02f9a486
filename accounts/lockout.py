"""What django-axes counts login failures against."""

from __future__ import annotations

from django.http import HttpRequest

from accounts.models import User


def lockout_username(request: HttpRequest, credentials: dict | None) -> str:
    """The email as the login compares it: "Carla@Example.com ", "carla@example.com"
    and look-alikes such as "ſıssi" for "sissi" are one account, so they must share
    one failure count (else each spelling would get its own LOGIN_FAILURE_LIMIT tries)."""
    data = credentials if credentials is not None else getattr(request, "data", request.POST)
    return User.objects.normalize_email(data.get("username"))
