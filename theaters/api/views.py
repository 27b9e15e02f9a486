from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response

from cinema.api_docs import DELETED, errors
from theaters import services
from theaters.api import serializers as api
from theaters.models import Room


@extend_schema_view(
    get=extend_schema(
        summary="List rooms", responses={200: api.RoomSerializer(many=True), **errors(401, 403, 404)}
    ),
    post=extend_schema(
        summary="Create a room with its grid of seats, or from its layout",
        request=api.RoomCreateSerializer,
        responses={201: api.RoomDetailSerializer, **errors(400, 401, 403)},
    ),
)
class RoomListView(generics.ListCreateAPIView):
    queryset = Room.objects.all()
    serializer_class = api.RoomSerializer
    permission_classes = [permissions.IsAdminUser]

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = api.RoomCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        room = services.room_create(**serializer.validated_data)
        room = Room.objects.prefetch_related("seats").get(pk=room.pk)
        return Response(api.RoomDetailSerializer(room).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(
        summary="A room with its seats", responses={200: api.RoomDetailSerializer, **errors(401, 403, 404)}
    ),
    patch=extend_schema(
        summary="Rename a room, or change its layout",
        description="A seat that stays (same row and column) keeps its id; removing one with tickets is a "
        "409 `seat_has_tickets`.",
        request=api.RoomRenameSerializer,
        responses={200: api.RoomDetailSerializer, **errors(400, 401, 403, 404, 409)},
    ),
    delete=extend_schema(
        summary="Delete a room without sessions", responses={204: DELETED, **errors(401, 403, 404, 409)}
    ),
)
class RoomDetailView(generics.RetrieveUpdateDestroyAPIView):
    queryset = Room.objects.prefetch_related("seats")
    serializer_class = api.RoomDetailSerializer
    permission_classes = [permissions.IsAdminUser]
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def update(self, request: Request, *args, **kwargs) -> Response:
        room = self.get_object()
        serializer = api.RoomRenameSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.room_update(room=room, name=data.get("name"), layout=data.get("layout"))
        room = Room.objects.prefetch_related("seats").get(pk=room.pk)
        return Response(api.RoomDetailSerializer(room).data)

    def perform_destroy(self, room: Room) -> None:
        services.room_delete(room=room)
