from __future__ import annotations

import unicodedata

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Django's email validator lets four non-ASCII letters through, because Python's
# re folds them into [a-z] under IGNORECASE: K (Kelvin) and ſ (long s) become
# ASCII under NFKC, ı (dotless i) and İ (dotted capital I) do not, so they are
# folded here. Each must be the same login as its ASCII look-alike.
ASCII_LOOKALIKES = str.maketrans({"ı": "i", "İ": "i"})


class UserManager(BaseUserManager):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        """The one spelling of an email that is stored, looked up, kept unique and locked out.

        NFKC folds compatibility look-alikes (ſ, full-width letters), casefold
        folds case beyond lower() (ß is ss); NFKC again keeps it idempotent.
        """
        email = unicodedata.normalize("NFKC", email or "")
        # Stripped last: NFKC can turn a character into a space and a combining mark.
        return unicodedata.normalize("NFKC", email.translate(ASCII_LOOKALIKES).casefold()).strip()

    def get_by_natural_key(self, username: str) -> User:
        return self.get(email=self.normalize_email(username))

    def _create_user(self, email: str, name: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("Users must have an email address.")
        user = self.model(email=self.normalize_email(email), name=name, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, name: str = "", password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, name, password, **extra)

    def create_superuser(self, email: str, name: str = "", password: str | None = None, **extra) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, name, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("email address", max_length=254, unique=True)
    name = models.CharField(max_length=150)
    is_staff = models.BooleanField(
        "staff status",
        default=False,
        help_text=_("Staff can log in to the admin: the theater's administrators."),
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # In every API token issued (accounts/api/tokens.py); a new password bumps it,
    # which ends every token issued before.
    token_generation = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    # Set by set_unusable_password until the next save.
    _password_disabled = False

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            # The stored email is already normalized; this also refuses a raw
            # write (bulk_create, SQL) that differs from a stored one only in case.
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.email

    def save(self, *args, **kwargs) -> None:
        # Django keeps a newly set raw password in `_password` until it is saved;
        # the hash upgrade at log-in clears it before saving, so it ends nothing.
        ends_tokens = (self._password is not None or self._password_disabled) and not self._state.adding
        if ends_tokens:
            # F(): two password changes at once must both count.
            self.token_generation = F("token_generation") + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "token_generation"}
        super().save(*args, **kwargs)
        self._password_disabled = False
        if ends_tokens:
            self.refresh_from_db(fields=["token_generation"])

    def clean(self) -> None:
        super().clean()
        self.email = User.objects.normalize_email(self.email)

    def set_unusable_password(self) -> None:
        super().set_unusable_password()
        self._password_disabled = True

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name


def customer_of(request) -> User:
    """The logged-in user of a request (behind login_required or IsAuthenticated)."""
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied(_("Log in first."))
    return user
