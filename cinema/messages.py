"""Django's message storage (a signed cookie, then the session), with the cookie's
signer made only when a messages cookie is read or written.

Django's CookieStorage builds its signer (the signing backend imported, the keys
read) for every request, ~8 µs; most requests carry no messages cookie and add
no message, so they never sign or check anything.
"""

from __future__ import annotations

from django.contrib.messages.storage import cookie, fallback, session
from django.contrib.messages.storage.base import BaseStorage
from django.core import signing
from django.utils.functional import cached_property


class CookieStorage(cookie.CookieStorage):
    def __init__(self, request, *args, **kwargs):
        # Django's __init__ but for the signer, which it sets eagerly on the instance.
        BaseStorage.__init__(self, request, *args, **kwargs)

    @cached_property
    def signer(self) -> signing.Signer:
        return signing.get_cookie_signer(salt=self.key_salt)


class FallbackStorage(fallback.FallbackStorage):
    storage_classes = (CookieStorage, session.SessionStorage)
