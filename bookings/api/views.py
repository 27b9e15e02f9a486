from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response

from bookings import services
from bookings.api import serializers as api
from bookings.api.filters import BookingFilter
from bookings.models import Booking
from cinema.api_docs import errors


def bookings_visible_to(user) -> QuerySet[Booking]:
    """Staff see every booking; a user only their own (anyone else's is a 404)."""
    bookings = Booking.objects.with_details()
    return bookings if user.is_staff else bookings.for_user(user)


_change = {200: api.BookingSerializer, **errors(400, 401, 404, 409)}


@extend_schema_view(
    get=extend_schema(
        summary="List bookings, newest first",
        description="Staff: every booking. A user: their own.",
        responses={200: api.BookingSerializer(many=True), **errors(400, 401, 404)},
    ),
    post=extend_schema(
        summary="Book seats",
        request=api.BookingCreateSerializer,
        responses={201: api.BookingSerializer, **errors(400, 401, 409)},
    ),
)
class BookingListView(generics.ListCreateAPIView):
    serializer_class = api.BookingSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = BookingFilter

    def get_queryset(self) -> QuerySet[Booking]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Booking.objects.none()
        return bookings_visible_to(self.request.user)

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = api.BookingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The service hands back the booking with its showtime, movie, room and
        # tickets in memory: nothing to read again.
        booking = services.booking_create(
            user=request.user,
            showtime=serializer.validated_data["session"],
            seat_ids=serializer.validated_data["seats"],
        )
        return Response(self.get_serializer(booking).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(summary="A booking", responses={200: api.BookingSerializer, **errors(401, 404)}),
    put=extend_schema(summary="Change the seats", request=api.BookingChangeSerializer, responses=_change),
    patch=extend_schema(summary="Change the seats", request=api.BookingChangeSerializer, responses=_change),
    delete=extend_schema(
        summary="Cancel a booking (it stays, cancelled)",
        responses={204: OpenApiResponse(description="Cancelled."), **errors(400, 401, 404, 409)},
    ),
)
class BookingDetailView(generics.RetrieveUpdateDestroyAPIView):
    serializer_class = api.BookingSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self) -> QuerySet[Booking]:
        if getattr(self, "swagger_fake_view", False):
            return Booking.objects.none()
        return bookings_visible_to(self.request.user)

    def update(self, request: Request, *args, **kwargs) -> Response:
        booking = self.get_object()
        serializer = api.BookingChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.booking_change_seats(
            booking=booking, seat_ids=serializer.validated_data["seats"], by=request.user
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=booking.pk)).data)

    def perform_destroy(self, booking: Booking) -> None:
        services.booking_cancel(booking=booking, by=self.request.user)
