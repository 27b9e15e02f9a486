"""Django's ModelBackend, with each request's user read through a statement
compiled once (accounts/selectors.py)."""

from __future__ import annotations

from django.contrib.auth import backends

from accounts.models import User
from accounts.selectors import user_by_id


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id: int) -> User | None:
        user = user_by_id(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
