"""Request limits of the account pages and API, counted in Django's shared cache
(never one process's memory): DRF's sliding window, keyed by our own idents."""

from __future__ import annotations

import hashlib
import math

from django.conf import settings
from django.http import HttpRequest
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import User
from cinema.client_address import client_address


class SettingRateThrottle(SimpleRateThrottle):
    """A limit whose rate ("20/hour") is the Django setting named `rate_setting`."""

    rate_setting: str

    def get_rate(self) -> str:
        return getattr(settings, self.rate_setting)

    def get_ident(self, request: HttpRequest) -> str:
        return client_address(request)

    def allows(self, request: HttpRequest) -> bool:
        """Count `request` if it is within the limit. DRF's window needs neither a DRF
        request nor a view: the pages use it as the API does."""
        return self.allow_request(request, None)  # type: ignore[arg-type]

    def minutes_to_wait(self) -> int:
        return math.ceil((self.wait() or 60) / 60)

    def get_cache_key(self, request: HttpRequest, view: object) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class RegisterThrottle(SettingRateThrottle):
    """Sign-ups per client address: the page's and the API's share one count."""

    scope = "register"
    rate_setting = "REGISTER_RATE"


class PasswordResetAddressThrottle(SettingRateThrottle):
    scope = "password_reset_address"
    rate_setting = "PASSWORD_RESET_ADDRESS_RATE"


class PasswordResetEmailThrottle(SettingRateThrottle):
    """Reset e-mails per account email, whatever its spelling or the sender's address."""

    scope = "password_reset_email"
    rate_setting = "PASSWORD_RESET_EMAIL_RATE"

    def __init__(self, email: str):
        super().__init__()
        self.email = User.objects.normalize_email(email)

    def get_ident(self, request: HttpRequest) -> str:
        # A digest: cache keys are short and plain, and the email stays out of the cache.
        return hashlib.sha256(self.email.encode()).hexdigest()
