from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response

from bookings.selectors import seat_states
from bookings.services import showtime_cancel
from cinema.api import IsStaffOrReadOnly
from cinema.api_docs import errors
from theaters import services
from theaters.api import serializers as api
from theaters.api.filters import SessionFilter
from theaters.models import Room, Showtime, ShowtimeStatus

DELETED = OpenApiResponse(description="Deleted.")


@extend_schema_view(
    get=extend_schema(
        summary="List rooms", responses={200: api.RoomSerializer(many=True), **errors(401, 403, 404)}
    ),
    post=extend_schema(
        summary="Create a room with its grid of seats",
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
        summary="Rename a room",
        request=api.RoomRenameSerializer,
        responses={200: api.RoomDetailSerializer, **errors(400, 401, 403, 404)},
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
        services.room_rename(room=room, name=serializer.validated_data["name"])
        return Response(api.RoomDetailSerializer(room).data)

    def perform_destroy(self, room: Room) -> None:
        services.room_delete(room=room)


def sessions() -> QuerySet[Showtime]:
    return Showtime.objects.with_seats_sold().select_related("movie", "room")


@extend_schema_view(
    get=extend_schema(
        summary="List sessions",
        description="Without `from` or `date`, only sessions that have not started. Ordered by start.",
        responses={200: api.SessionSerializer(many=True), **errors(400, 404)},
    ),
    post=extend_schema(
        summary="Schedule a session",
        request=api.SessionCreateSerializer,
        responses={201: api.SessionSerializer, **errors(400, 401, 403)},
    ),
)
class SessionListView(generics.ListCreateAPIView):
    serializer_class = api.SessionSerializer
    permission_classes = [IsStaffOrReadOnly]
    filterset_class = SessionFilter

    def get_queryset(self) -> QuerySet[Showtime]:
        return sessions().order_by("starts_at", "id")

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = api.SessionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        showtime = services.showtime_schedule(**serializer.validated_data)
        return Response(
            api.SessionSerializer(sessions().get(pk=showtime.pk)).data, status=status.HTTP_201_CREATED
        )


_session_write = {200: api.SessionSerializer, **errors(400, 401, 403, 404, 409)}


@extend_schema_view(
    get=extend_schema(
        summary="A session with its seat map", responses={200: api.SessionDetailSerializer, **errors(404)}
    ),
    put=extend_schema(
        summary="Change or cancel a session",
        description='`{"status": "cancelled"}` cancels it and every confirmed booking of it.',
        request=api.SessionUpdateSerializer,
        responses=_session_write,
    ),
    patch=extend_schema(
        summary="Change or cancel a session",
        description='`{"status": "cancelled"}` cancels it and every confirmed booking of it.',
        request=api.SessionUpdateSerializer,
        responses=_session_write,
    ),
    delete=extend_schema(
        summary="Delete a session without bookings", responses={204: DELETED, **errors(401, 403, 404, 409)}
    ),
)
class SessionDetailView(generics.RetrieveUpdateDestroyAPIView):
    queryset = Showtime.objects.select_related("movie", "room")
    serializer_class = api.SessionDetailSerializer
    permission_classes = [IsStaffOrReadOnly]

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        showtime = self.get_object()
        # Cached by the version read with the showtime: never staler than it.
        states = seat_states(showtime)
        showtime.seats_sold = len(states.taken_ids)
        return Response({**api.SessionSerializer(showtime).data, "seats": states.api_seats})

    def update(self, request: Request, *args, **kwargs) -> Response:
        showtime = self.get_object()
        # PUT takes any subset too: API.md's cancel is a PUT or PATCH of `status` alone.
        serializer = api.SessionUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        cancel = changes.pop("status", None) == ShowtimeStatus.CANCELLED
        if changes or not cancel:
            # Also refuses any change to a cancelled session, "scheduled" included.
            services.showtime_update(showtime=showtime, **changes)
        if cancel:
            showtime_cancel(showtime=showtime, by=request.user)
        return Response(api.SessionSerializer(sessions().get(pk=showtime.pk)).data)

    def perform_destroy(self, showtime: Showtime) -> None:
        services.showtime_delete(showtime=showtime)
