from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from theaters.models import Room, Seat
from theaters.services import MAX_ROWS, MAX_SEATS_PER_ROW


class SeatSerializer(serializers.ModelSerializer):
    class Meta:
        model = Seat
        fields = ["id", "row", "number", "label", "column", "kind", "blocked"]


class RoomSerializer(serializers.ModelSerializer):
    class Meta:
        model = Room
        fields = ["id", "name", "capacity"]


class RoomDetailSerializer(RoomSerializer):
    seats = SeatSerializer(many=True, read_only=True)

    class Meta(RoomSerializer.Meta):
        fields = [*RoomSerializer.Meta.fields, "seats"]


class LayoutField(serializers.ListField):
    """One string per row from the screen (theaters/layout.py); the service checks the cells."""

    child = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=MAX_SEATS_PER_ROW + 1)

    def __init__(self, **kwargs) -> None:
        super().__init__(
            max_length=MAX_ROWS + 1,
            help_text="S seat, W wheelchair space, C companion seat, X blocked seat, . gap.",
            **kwargs,
        )

    def to_internal_value(self, data) -> list[str]:
        if isinstance(data, list | tuple) and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


class RoomCreateSerializer(serializers.Serializer):
    """`{"name", "rows", "seats_per_row"}` for a rectangle, or `{"name", "layout"}`."""

    name = serializers.CharField(max_length=100)
    rows = serializers.IntegerField(min_value=1, max_value=MAX_ROWS, required=False)
    seats_per_row = serializers.IntegerField(min_value=1, max_value=MAX_SEATS_PER_ROW, required=False)
    layout = LayoutField(required=False)

    def validate(self, data: dict) -> dict:
        if "layout" not in data and ("rows" not in data or "seats_per_row" not in data):
            raise serializers.ValidationError(_("Give rows and seats_per_row, or a layout."))
        if "layout" in data and ("rows" in data or "seats_per_row" in data):
            raise serializers.ValidationError(_("Give either a layout or rows and seats_per_row, not both."))
        return data


class RoomRenameSerializer(serializers.Serializer):
    """A new name, a new layout, or both."""

    name = serializers.CharField(max_length=100, required=False)
    layout = LayoutField(required=False)

    def validate(self, data: dict) -> dict:
        if not data:
            raise serializers.ValidationError(_("Give a name or a layout."))
        return data
