"""GET /api/reports/bookings (API.md "Reports"): the staff insights as JSON."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAdminUser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from bookings.reports import (
    DEFAULT_DAYS_AHEAD,
    DEFAULT_DAYS_BACK,
    GROUPINGS,
    BookingReportForm,
    booking_report,
)


class ReportRowSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text="monday…sunday; morning, afternoon, evening, late; a movie id; or a ticket type code."
    )
    label = serializers.CharField()
    sessions = serializers.IntegerField(help_text="Scheduled sessions starting in the range.")
    bookings = serializers.IntegerField(help_text="Confirmed bookings of those sessions.")
    tickets = serializers.IntegerField(help_text="Seats those bookings hold.")
    revenue = serializers.DecimalField(max_digits=14, decimal_places=2, help_text='e.g. "123.50"')
    occupancy = serializers.FloatField(help_text="tickets ÷ seats offered by the sessions, 0–1, 4 places.")
    checked_in = serializers.IntegerField(help_text="Tickets admitted at the door.")
    attendance = serializers.FloatField(help_text="checked_in ÷ tickets, 0–1, 4 places.")
    no_shows = serializers.IntegerField(help_text="Tickets of ended sessions never admitted.")


# `from` is a Python keyword: made with type(), as bookings.reports.BookingReportForm is.
BookingReportSerializer = type(
    "BookingReportSerializer",
    (serializers.Serializer,),
    {
        "group_by": serializers.ChoiceField(choices=GROUPINGS),
        "from": serializers.DateField(),
        "to": serializers.DateField(),
        "results": ReportRowSerializer(many=True),
    },
)

_DETAIL = inline_serializer(name="ReportErrorDetail", fields={"detail": serializers.CharField()})


class BookingReportView(APIView):
    """Sessions, bookings, tickets, revenue and occupancy per weekday, time slot, movie or ticket type."""

    permission_classes = [IsAdminUser]

    @extend_schema(
        operation_id="reports_bookings",
        tags=["reports"],
        summary="Bookings by weekday, time slot, movie or ticket type (staff)",
        description=(
            "Only confirmed bookings count; cancelled sessions offer no seats and are left out. "
            "Weekday and time-slot results list every key in order (zeroed when empty); movie "
            "results list the movies with sessions in the range, by title. By ticket type: the "
            "tickets of that type, their revenue, the bookings holding one, the sessions offering "
            "it. Local days and times "
            "are the theater's TIME_ZONE."
        ),
        parameters=[
            OpenApiParameter("group_by", OpenApiTypes.STR, enum=list(GROUPINGS), required=True),
            OpenApiParameter(
                "from",
                OpenApiTypes.DATE,
                description=f"First local day, included (default: {DEFAULT_DAYS_BACK} days ago).",
            ),
            OpenApiParameter(
                "to",
                OpenApiTypes.DATE,
                description=f"Last local day, included (default: in {DEFAULT_DAYS_AHEAD} days).",
            ),
        ],
        responses={
            200: BookingReportSerializer,
            400: OpenApiResponse(
                response=OpenApiTypes.OBJECT,
                description='Field errors, e.g. {"group_by": ["…"], "to": ["…"]}.',
            ),
            401: OpenApiResponse(response=_DETAIL, description="No or bad token."),
            403: OpenApiResponse(response=_DETAIL, description="Not a staff account."),
        },
    )
    def get(self, request: Request) -> Response:
        form = BookingReportForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors)
        group_by, date_from, date_to = (form.cleaned_data[name] for name in ("group_by", "from", "to"))
        report = {
            "group_by": group_by,
            "from": date_from,
            "to": date_to,
            "results": booking_report(group_by=group_by, date_from=date_from, date_to=date_to),
        }
        return Response(BookingReportSerializer(report).data)
