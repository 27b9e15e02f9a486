from __future__ import annotations

from rest_framework import serializers

from bookings.models import Booking, Ticket
from cinema.api import MAX_ID, DateTimeField
from theaters.models import Showtime


class BookingSeatSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="seat_id")
    label = serializers.CharField(source="seat.label")

    class Meta:
        model = Ticket
        fields = ["id", "label"]


class BookingSerializer(serializers.ModelSerializer):
    """A booking as API.md shows it; reads `Booking.objects.with_details()`.

    `user_email` only goes to staff.
    """

    session = serializers.IntegerField(source="showtime_id", read_only=True)
    movie_title = serializers.CharField(source="showtime.movie.title", read_only=True)
    room_name = serializers.CharField(source="showtime.room.name", read_only=True)
    starts_at = DateTimeField(source="showtime.starts_at", read_only=True)
    seats = BookingSeatSerializer(source="held_tickets", many=True, read_only=True)
    created_at = DateTimeField(read_only=True)
    user_email = serializers.EmailField(source="user.email", required=False, help_text="Staff only.")

    class Meta:
        model = Booking
        fields = [
            "id",
            "code",
            "session",
            "movie_title",
            "room_name",
            "starts_at",
            "seats",
            "status",
            "total_price",
            "created_at",
            "user",
            "user_email",
        ]
        read_only_fields = [field for field in fields if field != "user_email"]

    def to_representation(self, booking: Booking) -> dict:
        data = super().to_representation(booking)
        if not self.context["request"].user.is_staff:
            del data["user_email"]
        return data


def seat_ids_field() -> serializers.ListField:
    # Shape only: how many seats, and which, is the booking service's to judge.
    return serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID))


class BookingCreateSerializer(serializers.Serializer):
    session = serializers.PrimaryKeyRelatedField(queryset=Showtime.objects.all())
    seats = seat_ids_field()


class BookingChangeSerializer(serializers.Serializer):
    seats = seat_ids_field()
