from __future__ import annotations

from rest_framework import serializers

from pricing.models import TicketType


class TicketTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = TicketType
        fields = ["code", "name", "requires_adult"]
