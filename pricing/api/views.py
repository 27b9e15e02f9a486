from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, permissions

from pricing.api.serializers import TicketTypeSerializer
from pricing.models import TicketType
from pricing.selectors import active_ticket_types


@extend_schema_view(
    get=extend_schema(
        summary="The ticket types on sale",
        description="In their order; not paginated. `adult` is always there.",
        responses={200: TicketTypeSerializer(many=True)},
    )
)
class TicketTypeListView(generics.ListAPIView):
    serializer_class = TicketTypeSerializer
    permission_classes = [permissions.AllowAny]
    pagination_class = None

    def get_queryset(self) -> QuerySet[TicketType]:
        return active_ticket_types()
