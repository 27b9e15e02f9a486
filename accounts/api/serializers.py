from __future__ import annotations

from axes.helpers import get_cool_off
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.serializers import TokenRefreshSerializer
from rest_framework_simplejwt.settings import api_settings as jwt_settings

from accounts.api.tokens import RefreshToken, is_current
from accounts.models import User


class RegisterSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)
    name = serializers.CharField(max_length=150)

    def validate(self, attrs: dict) -> dict:
        candidate = User(email=attrs["email"], name=attrs["name"])
        try:
            password_validation.validate_password(attrs["password"], user=candidate)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"password": list(error.messages)}) from error
        return attrs


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "name"]


class MeSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "name", "is_staff"]


class LoginSerializer(serializers.Serializer):
    """Checks the credentials through django-axes and answers a fresh token pair."""

    email = serializers.CharField(max_length=254, write_only=True)
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)

    def validate(self, attrs: dict) -> dict:
        request = self.context["request"]
        axes_context: dict = {}
        # Axes counts failures per `username`, so the email goes in under that
        # name; it is handed the DRF request so its lockout flag stays off the
        # Django request, where AxesMiddleware would swap this JSON for its page.
        user = authenticate(
            request,
            username=User.objects.normalize_email(attrs["email"]),
            password=attrs["password"],
            response_context=axes_context,
        )
        if "error" in axes_context:  # axes refused before checking the password
            raise exceptions.Throttled(
                wait=get_cool_off(request).total_seconds(),
                detail=_("Too many failed logins for this email. Try again later."),
            )
        if user is None:
            raise exceptions.AuthenticationFailed(_("No active account matches this email and password."))
        # As a page login would: resets the failure count, records the login.
        user_logged_in.send(sender=type(user), request=request, user=user)
        refresh = RefreshToken.for_user(user)
        return {"access": str(refresh.access_token), "refresh": str(refresh)}


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class LogoutSerializer(serializers.Serializer):
    refresh = serializers.CharField(max_length=2000)

    def validate_refresh(self, value: str) -> RefreshToken:
        try:
            token = RefreshToken(value)
        except TokenError as error:
            raise serializers.ValidationError(_("This refresh token is invalid or expired.")) from error
        # Someone else's token is as bad as a forged one: logout ends only your own.
        if str(token.get(jwt_settings.USER_ID_CLAIM)) != str(self.context["request"].user.pk):
            raise serializers.ValidationError(_("This refresh token is invalid or expired."))
        return token


class RefreshSerializer(TokenRefreshSerializer):
    """simplejwt's refresh, for a user who still exists and has not changed password since."""

    token_class = RefreshToken

    def validate(self, attrs: dict) -> dict:
        refresh = self.token_class(attrs["refresh"])
        user = User.objects.filter(pk=refresh.get(jwt_settings.USER_ID_CLAIM)).first()
        # simplejwt itself would raise User.DoesNotExist (a 500) for a deleted user.
        if user is None or not is_current(refresh, user):
            raise InvalidToken(_("This refresh token is no longer valid."))
        return super().validate(attrs)
