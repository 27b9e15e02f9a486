"""The error shapes of API.md "General", for the OpenAPI schema."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

from cinema.ids import MAX_ID

_detail = inline_serializer("ErrorDetail", {"detail": serializers.CharField()})

_conflict = inline_serializer(
    "Conflict",
    {
        "detail": serializers.CharField(),
        "code": serializers.CharField(help_text="Machine-readable, e.g. `seats_unavailable`."),
        "seats": serializers.ListField(
            child=serializers.IntegerField(max_value=MAX_ID),
            required=False,
            help_text="With `seats_unavailable`: the ids of the seats already taken.",
        ),
    },
)

_invalid = {
    "type": "object",
    "description": (
        'Field errors `{"field": ["message", ...]}`, or `{"detail": "message"}` '
        '(with a `code` when a rule refused the request), or `{"non_field_errors": [...]}`.'
    ),
    "additionalProperties": True,
}

ERRORS = {
    400: OpenApiResponse(_invalid, description="Invalid input."),
    401: OpenApiResponse(_detail, description="No token, or a bad or expired one."),
    403: OpenApiResponse(_detail, description="Logged in, but staff only."),
    404: OpenApiResponse(_detail, description="No such object (or not yours), or no such page."),
    409: OpenApiResponse(_conflict, description="Valid, but it conflicts with the current state."),
    429: OpenApiResponse(_detail, description="Throttled; `Retry-After` says how many seconds to wait."),
}


DELETED = OpenApiResponse(description="Deleted.")


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: ERRORS[code] for code in codes}


def document_bad_request_everywhere(result: dict, generator, request, public) -> dict:
    """Any request can be refused as malformed before its view runs (a NUL byte,
    an oversized body, deeply nested JSON): a 400 on every operation."""
    bad_request = {"description": "Invalid input.", "content": {"application/json": {"schema": _invalid}}}
    for path in result["paths"].values():
        for operation in path.values():
            operation.setdefault("responses", {}).setdefault("400", bad_request)
    return result
