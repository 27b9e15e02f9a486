"""Pieces every API package shares: the mapping of domain errors to HTTP,
the staff permission, the datetime format of API.md and ids of related objects."""

from __future__ import annotations

from typing import Any

from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from cinema.errors import DomainError


def _error_response(exc: DomainError) -> Response:
    if exc.field and not exc.is_conflict:
        return Response({exc.field: [exc.message]}, status=status.HTTP_400_BAD_REQUEST)
    body: dict[str, Any] = {"detail": exc.message, "code": exc.code, **exc.context()}
    return Response(body, status=status.HTTP_409_CONFLICT if exc.is_conflict else status.HTTP_400_BAD_REQUEST)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler, plus the domain errors: 409 for conflicts, 400 otherwise."""
    if isinstance(exc, DomainError):
        return _error_response(exc)
    return drf_exception_handler(exc, context)


class IsStaffOrReadOnly(permissions.BasePermission):
    """Anyone reads; only staff write (the catalog and the schedule)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_staff)


class DateTimeField(serializers.DateTimeField):
    """ISO 8601 with a numeric offset (`+00:00`), where DRF would write `Z` for UTC."""

    def to_representation(self, value):
        return self.enforce_timezone(value).isoformat() if value else None


class IdField(serializers.PrimaryKeyRelatedField):
    """A related object by its id, which must be a whole number.

    DRF's field hands a JSON number such as 1.5 to the database lookup, which
    truncates it: `{"session": 1.5}` booked session 1, and 1e400 (infinity) was
    a 500.
    """

    def to_internal_value(self, data):
        if isinstance(data, float) and not data.is_integer():
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)
