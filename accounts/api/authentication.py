from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed
from rest_framework_simplejwt.tokens import Token

from accounts.api.tokens import is_current
from accounts.models import User


class CurrentJWTAuthentication(JWTAuthentication):
    """simplejwt's bearer-token authentication, refusing tokens issued before a password change."""

    def get_user(self, validated_token: Token) -> User:
        user = super().get_user(validated_token)
        if not is_current(validated_token, user):
            raise AuthenticationFailed(_("This token ended with a password change."), code="token_revoked")
        return user


class CurrentJWTScheme(SimpleJWTScheme):
    """The schema documents it as simplejwt's own bearer scheme (`jwtAuth`)."""

    target_class = CurrentJWTAuthentication
