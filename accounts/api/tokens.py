"""API tokens that end when their user's password changes: each carries the
user's `token_generation`, which a new password bumps (accounts/models.py)."""

from __future__ import annotations

from rest_framework_simplejwt import tokens

from accounts.models import User

GENERATION_CLAIM = "gen"


class RefreshToken(tokens.RefreshToken):
    """simplejwt's refresh token plus the generation claim, which its access tokens copy."""

    @classmethod
    def for_user(cls, user: User) -> RefreshToken:
        token = super().for_user(user)
        token[GENERATION_CLAIM] = user.token_generation
        return token


def is_current(token: tokens.Token, user: User) -> bool:
    """Whether `user`'s token was issued since their last password change.

    A token without the claim predates the claim: generation 0, before any change.
    """
    return token.get(GENERATION_CLAIM, 0) == user.token_generation
