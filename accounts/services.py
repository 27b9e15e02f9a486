"""Writes to accounts. The sign-up page, `POST /api/auth/register` and the
admin's add form all create users through `user_create`."""

from __future__ import annotations

from typing import cast

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from cinema.errors import DomainError

EMAIL_MAX_LENGTH = cast(int, User._meta.get_field("email").max_length)


class AccountError(DomainError):
    """A refused account write; every code is invalid input (400), none a conflict."""


def user_create(*, email: str, name: str, password: str | None, is_staff: bool = False) -> User:
    """A new account; `password=None` makes one that cannot log in with a password.

    Whether the email is taken is decided here, by the database's unique
    constraint on the normalized email: a concurrent sign-up of the same email,
    in any spelling, is refused like an earlier one.
    """
    normalized = User.objects.normalize_email(email)
    # Normalizing can lengthen an email (ß is ss) or change its characters.
    try:
        validate_email(normalized)
    except ValidationError as error:
        raise AccountError("email_invalid", _("Enter a valid email address."), field="email") from error
    if len(normalized) > EMAIL_MAX_LENGTH:
        raise AccountError(
            "email_invalid",
            _("An email has at most %(limit)s characters.") % {"limit": EMAIL_MAX_LENGTH},
            field="email",
        )
    try:
        # A savepoint, not durable: the admin's add view runs this inside its own transaction.
        with transaction.atomic():
            return User.objects.create_user(email=normalized, name=name, password=password, is_staff=is_staff)
    except IntegrityError:
        if not User.objects.filter(email=normalized).exists():
            raise  # some other constraint: a bug, not a taken email
        raise AccountError(
            "email_taken", _("An account with this email already exists."), field="email"
        ) from None
