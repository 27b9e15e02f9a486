from __future__ import annotations

from rest_framework import serializers

from theaters.models import Room, Seat
from theaters.services import MAX_ROWS, MAX_SEATS_PER_ROW


class SeatSerializer(serializers.ModelSerializer):
    class Meta:
        model = Seat
        fields = ["id", "row", "number", "label"]


class RoomSerializer(serializers.ModelSerializer):
    class Meta:
        model = Room
        fields = ["id", "name", "capacity"]


class RoomDetailSerializer(RoomSerializer):
    seats = SeatSerializer(many=True, read_only=True)

    class Meta(RoomSerializer.Meta):
        fields = [*RoomSerializer.Meta.fields, "seats"]


class RoomCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    rows = serializers.IntegerField(min_value=1, max_value=MAX_ROWS)
    seats_per_row = serializers.IntegerField(min_value=1, max_value=MAX_SEATS_PER_ROW)


class RoomRenameSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
