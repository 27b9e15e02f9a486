from __future__ import annotations

from typing import cast

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework_simplejwt.serializers import TokenRefreshSerializer
from rest_framework_simplejwt.views import TokenRefreshView, TokenViewBase

from accounts.api import serializers as api
from accounts.models import User
from accounts.services import user_create
from accounts.throttles import RegisterThrottle
from cinema.api_docs import errors


class RegisterView(generics.GenericAPIView):
    """Create an account; `REGISTER_RATE` per client address."""

    serializer_class = api.RegisterSerializer
    permission_classes = [permissions.AllowAny]
    throttle_classes = [RegisterThrottle]

    @extend_schema(
        responses={201: api.UserSerializer, **errors(400, 429)},
        summary="Register an account",
    )
    def post(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = user_create(email=data["email"], name=data["name"], password=data["password"])
        return Response(api.UserSerializer(user).data, status=status.HTTP_201_CREATED)


class LoginView(TokenViewBase):
    """Trade an email and password for an access and a refresh token."""

    serializer_class = api.LoginSerializer

    @extend_schema(
        responses={200: api.TokenPairSerializer, **errors(400, 401, 429)},
        summary="Log in",
    )
    def post(self, request: Request, *args, **kwargs) -> Response:
        return super().post(request, *args, **kwargs)


class RefreshView(TokenRefreshView):
    """A new access token and a rotated refresh token; the old refresh token stops working."""

    serializer_class = api.RefreshSerializer

    @extend_schema(
        # simplejwt's, for the schema's name of the same body.
        request=TokenRefreshSerializer,
        responses={200: api.TokenPairSerializer, **errors(400, 401)},
        summary="Refresh the tokens",
    )
    def post(self, request: Request, *args, **kwargs) -> Response:
        return super().post(request, *args, **kwargs)


class LogoutView(generics.GenericAPIView):
    """Blacklist a refresh token of the caller."""

    serializer_class = api.LogoutSerializer
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        responses={
            204: OpenApiResponse(description="The refresh token no longer works."),
            **errors(400, 401),
        },
        summary="Log out",
    )
    def post(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        serializer.validated_data["refresh"].blacklist()
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(generics.RetrieveAPIView):
    serializer_class = api.MeSerializer
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: api.MeSerializer, **errors(401)}, summary="The logged-in account")
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    def get_object(self) -> User:
        return cast(User, self.request.user)  # IsAuthenticated lets no anonymous user in
