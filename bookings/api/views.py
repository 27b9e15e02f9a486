from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, permissions, serializers, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import customer_of
from bookings import services
from bookings.api import serializers as api
from bookings.api.filters import BookingFilter, SessionFilter
from bookings.checkin import booking_for_code, can_check_in, checkin_admit, checkin_undo
from bookings.models import Booking, Hold, WaitlistEntry, seats_sold
from bookings.prices import with_price_list
from bookings.selectors import best_seats_for, bookings_visible_to, seat_states, session_row
from cinema.api import IsStaffOrReadOnly
from cinema.api_docs import DELETED, errors
from cinema.rendered import Rendered, RenderedCache
from movies.api.views import MovieDetailView as CatalogMovieDetailView
from movies.models import Movie
from theaters import services as schedule
from theaters.models import Showtime, ShowtimeQuerySet, ShowtimeStatus
from theaters.series import OK, preview_series, series_create

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
        data = serializer.validated_data
        # The services hand back the booking with its showtime, movie, room and
        # tickets in memory: nothing to read again.
        seat_ids, ticket_types = api.seats_and_types(data)
        if "hold" in data:
            # An unknown id is a bad body (400), whoever's hold it may be.
            hold = Hold.objects.filter(user=customer_of(request), pk=data["hold"]).first()
            if hold is None:
                raise serializers.ValidationError({"hold": [_("You have no hold with this id.")]})
            booking = services.booking_create_from_hold(hold=hold, by=request.user, ticket_types=ticket_types)
        else:
            booking = services.booking_create(
                user=request.user, showtime=data["session"], seat_ids=seat_ids, ticket_types=ticket_types
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
        seat_ids, ticket_types = api.seats_and_types(serializer.validated_data)
        services.booking_change_seats(
            booking=booking, seat_ids=seat_ids, by=request.user, ticket_types=ticket_types
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=booking.pk)).data)

    def perform_destroy(self, booking: Booking) -> None:
        services.booking_cancel(booking=booking, by=self.request.user)


def sessions_with_seats_sold() -> ShowtimeQuerySet:
    """Showtimes as the Session serializer reads them (their prices in one more query)."""
    return (
        Showtime.objects.annotate(seats_sold=seats_sold())
        .select_related("movie", "room")
        .prefetch_related(with_price_list())
    )


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
        return sessions_with_seats_sold().order_by("starts_at", "id")

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = api.SessionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        showtime = schedule.showtime_schedule(**serializer.validated_data)
        return Response(
            api.SessionSerializer(sessions_with_seats_sold().get(pk=showtime.pk)).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema(
    summary="Schedule a series of sessions",
    description="Local start times on the chosen weekdays from `first_day` to `last_day`, or `count` "
    "sessions in date order (at most 200). Each start that overlaps a session of the room (or an "
    "earlier one of the series) or is past is skipped with its reason; the rest are created. "
    "With `dry_run`, nothing is created: 200 with what would be.",
    request=api.SeriesCreateSerializer,
    responses={
        201: api.SeriesResultSerializer,
        200: OpenApiResponse(api.SeriesResultSerializer, description="Dry run: nothing created."),
        **errors(400, 401, 403),
    },
)
@api_view(["POST"])
@permission_classes([permissions.IsAdminUser])
def session_series(request: Request) -> Response:
    serializer = api.SeriesCreateSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    spec = serializer.spec()
    if serializer.validated_data["dry_run"]:
        planned = preview_series(spec)
        return Response(
            {
                "created": [api.planned_session(spec, item) for item in planned if item.status == OK],
                "skipped": [api.skipped_item(item) for item in planned if item.status != OK],
            }
        )
    planned = series_create(spec)
    created_ids = [item.showtime.pk for item in planned if item.showtime is not None]
    created = sessions_with_seats_sold().filter(pk__in=created_ids).order_by("starts_at", "id")
    return Response(
        {
            "created": api.SessionSerializer(created, many=True).data,
            "skipped": [api.skipped_item(item) for item in planned if item.showtime is None],
        },
        status=status.HTTP_201_CREATED,
    )


# Bounded like the seat states: a 300-seat session is ~40 kB of JSON.
SESSIONS_RENDERED = RenderedCache(256)


def _session_rendered(pk: int) -> Rendered | None:
    """The session's JSON, the same bytes for everyone until its row or seats change:
    rendered once per process, then 1 query (the row, `session_row`). None when there
    is no such session."""
    row = session_row(pk)
    if row is None:
        return None
    now = timezone.now()
    rendered = SESSIONS_RENDERED.get((pk, row), now)
    if rendered is None:
        showtime = Showtime.objects.select_related("movie", "room").get(pk=pk)
        states = seat_states(showtime, now)
        showtime.seats_sold = len(states.taken_ids)  # type: ignore[attr-defined]  # as seats_sold() annotates
        body = JSONRenderer().render({**api.SessionSerializer(showtime).data, "seats": states.api_seats})
        rendered = SESSIONS_RENDERED.put((pk, row), body, "application/json", states.valid_until)
    return rendered


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
    # Its prices come cached for its prices_version, its seats for its seats_version (bookings/selectors.py).
    queryset = Showtime.objects.select_related("movie", "room")
    serializer_class = api.SessionDetailSerializer
    permission_classes = [IsStaffOrReadOnly]

    @classmethod
    def as_view(cls, **initkwargs):
        """The view, answering a GET that carries no credentials before DRF's dispatch
        (which would only find it anonymous, and allowed), from the rendered bytes:
        1 query on a hit. Anything else goes through DRF."""
        view = super().as_view(**initkwargs)
        probe = cls(**initkwargs)
        probe.setup(HttpRequest())  # as every request's view is: HEAD comes with GET
        allow = ", ".join(probe.allowed_methods)

        @wraps(view)  # with its `cls` and `initkwargs`, which the schema reads
        def rendered_first(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
            no_credentials = (
                "HTTP_AUTHORIZATION" not in request.META
                and settings.SESSION_COOKIE_NAME not in request.COOKIES
            )
            if request.method in ("GET", "HEAD") and no_credentials:
                rendered = _session_rendered(kwargs["pk"])
                if rendered is not None:
                    response = rendered.response(request)
                    response["Allow"] = allow
                    return response
            return view(request, *args, **kwargs)

        return rendered_first

    def retrieve(self, request: Request, *args, **kwargs) -> HttpResponse:  # type: ignore[override]
        rendered = _session_rendered(kwargs["pk"])
        if rendered is None:  # no such session: DRF's own answer, the API's usual 404
            return super().retrieve(request, *args, **kwargs)
        return rendered.response(request)

    def update(self, request: Request, *args, **kwargs) -> Response:
        showtime = self.get_object()
        # PUT takes any subset too: API.md's cancel is a PUT or PATCH of `status` alone.
        serializer = api.SessionUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        cancel = changes.pop("status", None) == ShowtimeStatus.CANCELLED
        if changes or not cancel:
            # Also refuses any change to a cancelled session, "scheduled" included.
            schedule.showtime_update(showtime=showtime, **changes)
        if cancel:
            services.showtime_cancel(showtime=showtime, by=request.user)
        return Response(api.SessionSerializer(sessions_with_seats_sold().get(pk=showtime.pk)).data)

    def perform_destroy(self, showtime: Showtime) -> None:
        schedule.showtime_delete(showtime=showtime)


@extend_schema_view(
    get=extend_schema(
        summary="A movie with its sessions that have not started",
        responses={200: api.MovieDetailSerializer, **errors(404)},
    ),
)
class MovieDetailView(CatalogMovieDetailView):
    """The catalog's movie, read with its sessions and their seats left (the box office's part)."""

    def get_queryset(self) -> QuerySet[Movie]:
        if self.request.method not in ("GET", "HEAD"):
            return super().get_queryset()
        return Movie.objects.prefetch_related(
            "genres",
            Prefetch(
                "showtimes",
                queryset=sessions_with_seats_sold().not_started().order_by("starts_at", "id"),
                to_attr="upcoming_sessions",
            ),
        )

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.request.method in ("GET", "HEAD"):
            return api.MovieDetailSerializer
        return super().get_serializer_class()


def _holds_of(request: Request) -> QuerySet[Hold]:
    # Someone else's hold is "not found", like someone else's booking.
    return Hold.objects.filter(user=customer_of(request)).with_seats()


@extend_schema_view(
    post=extend_schema(
        summary="Hold seats while checking out",
        description="Replaces your active hold of that session. The seats are kept for HOLD_MINUTES. "
        "With `count` instead of `seats`, the best that many seats (as `best-seats` picks them).",
        request=api.HoldCreateSerializer,
        responses={201: api.HoldSerializer, **errors(400, 401, 409)},
    ),
)
class HoldListView(generics.GenericAPIView):
    serializer_class = api.HoldSerializer
    permission_classes = [permissions.IsAuthenticated]

    def post(self, request: Request) -> Response:
        serializer = api.HoldCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        hold = services.hold_create(
            user=request.user, showtime=data["session"], seat_ids=data.get("seats"), count=data.get("count")
        )
        return Response(api.HoldSerializer(hold).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(summary="A hold of yours", responses={200: api.HoldSerializer, **errors(401, 404)}),
    delete=extend_schema(
        summary="Release the held seats at once",
        responses={204: OpenApiResponse(description="Released."), **errors(401, 404)},
    ),
)
class HoldDetailView(generics.RetrieveDestroyAPIView):
    serializer_class = api.HoldSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self) -> QuerySet[Hold]:
        if getattr(self, "swagger_fake_view", False):
            return Hold.objects.none()
        return _holds_of(self.request)

    def perform_destroy(self, hold: Hold) -> None:
        services.hold_release(hold=hold, by=self.request.user)


@extend_schema(
    summary="Keep the held seats longer",
    description="HOLD_MINUTES from now, never past the sales cut-off, at most HOLD_RENEWALS times.",
    request=None,
    responses={200: api.HoldSerializer, **errors(401, 404, 409)},
)
@api_view(["POST"])
@permission_classes([permissions.IsAuthenticated])
def hold_renew(request: Request, pk: int) -> Response:
    hold = get_object_or_404(_holds_of(request), pk=pk)
    hold = services.hold_renew(hold=hold, by=request.user)
    return Response(api.HoldSerializer(hold).data)


class CanCheckIn(permissions.BasePermission):
    """Staff with the check-in permission (the "Theater staff" group, superusers)."""

    def has_permission(self, request: Request, view) -> bool:
        return can_check_in(request.user)


@extend_schema(
    summary="Admit a booking at the door",
    description=(
        "Staff. The code's case, spaces and dashes are ignored. Refusals, in this order: 404 unknown "
        'code; 409 `booking_cancelled`; 409 `wrong_session` with `"session"` (the right one); 409 '
        '`checkin_not_open` with `"opens_at"`; 409 `already_checked_in` with `"checked_in_at"`.'
    ),
    request=api.CheckInCreateSerializer,
    responses={201: api.CheckInSerializer, **errors(400, 401, 403, 404, 409)},
)
@api_view(["POST"])
@permission_classes([CanCheckIn])
def checkin_create(request: Request) -> Response:
    serializer = api.CheckInCreateSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    booking = booking_for_code(serializer.validated_data["code"])
    if booking is None:
        raise NotFound(_("No booking has this code."))
    checkin = checkin_admit(booking=booking, showtime=serializer.validated_data["session"], by=request.user)
    return Response(api.CheckInSerializer(checkin).data, status=status.HTTP_201_CREATED)


@extend_schema(
    summary="Undo a check-in",
    description="Staff. The booking is no longer checked in; the undone check-in is kept in the record.",
    request=None,
    responses={204: OpenApiResponse(description="Undone."), **errors(401, 403, 404)},
)
@api_view(["DELETE"])
@permission_classes([CanCheckIn])
def checkin_delete(request: Request, code: str) -> Response:
    booking = booking_for_code(code)
    if booking is None or checkin_undo(booking=booking, by=request.user) is None:
        raise NotFound(_("This booking is not checked in."))
    return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(
    summary="The best seats free now",
    description="`count` free standard seats side by side nearest the sweet spot, leaving no single seat "
    "alone when possible; `together` is false when they come in groups (docs/api.md).",
    parameters=[api.BestSeatsQuerySerializer],
    responses={200: api.BestSeatsSerializer, **errors(400, 404, 409)},
)
@api_view(["GET"])
@permission_classes([permissions.AllowAny])
def best_seats(request: Request, pk: int) -> Response:
    showtime = get_object_or_404(Showtime.objects.only("pk", "room_id", "seats_version", "starts_at"), pk=pk)
    query = api.BestSeatsQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    count = query.validated_data["count"]
    best = best_seats_for(showtime, count)
    if best is None:
        raise services.not_enough_seats(count)
    seats = [{"id": place.pk, "label": place.label} for place in best.places]
    return Response({"seats": seats, "together": best.together})


def waitlist_visible_to(user) -> QuerySet[WaitlistEntry]:
    """Staff see every entry; a user only their own (anyone else's is a 404)."""
    entries = WaitlistEntry.objects.with_position().select_related("hold")
    return entries if user.is_staff else entries.filter(user=user)


@extend_schema(
    summary="Join a sold-out session's waiting list",
    description="Only when no seat is free to you, once per session. Freed seats are offered in "
    "turn as a hold of the best seats for WAITLIST_OFFER_MINUTES, by e-mail (docs/api.md).",
    request=api.WaitlistJoinSerializer,
    responses={201: api.WaitlistEntrySerializer, **errors(400, 401, 404, 409)},
)
@api_view(["POST"])
@permission_classes([permissions.IsAuthenticated])
def waitlist_join(request: Request, pk: int) -> Response:
    showtime = get_object_or_404(Showtime, pk=pk)
    serializer = api.WaitlistJoinSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    entry = services.waitlist_join(
        user=request.user, showtime=showtime, party_size=serializer.validated_data["party_size"]
    )
    return Response(api.WaitlistEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(
        summary="Waiting list entries, oldest first",
        description="A user: their own. Staff: every entry, `?session=` for one session's list.",
        parameters=[api.WaitlistQuerySerializer],
        responses={200: api.WaitlistEntrySerializer(many=True), **errors(400, 401, 404)},
    ),
)
class WaitlistListView(generics.ListAPIView):
    serializer_class = api.WaitlistEntrySerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self) -> QuerySet[WaitlistEntry]:
        if getattr(self, "swagger_fake_view", False):
            return WaitlistEntry.objects.none()
        query = api.WaitlistQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        entries = waitlist_visible_to(self.request.user).order_by("created_at", "id")
        if "session" in query.validated_data:
            entries = entries.filter(showtime_id=query.validated_data["session"])
        return entries


@extend_schema_view(
    delete=extend_schema(
        summary="Leave the waiting list",
        description="The owner or staff. An offer's seats are given up, to the next in line.",
        responses={204: OpenApiResponse(description="Left."), **errors(401, 404)},
    ),
)
class WaitlistDetailView(generics.DestroyAPIView):
    serializer_class = api.WaitlistEntrySerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self) -> QuerySet[WaitlistEntry]:
        if getattr(self, "swagger_fake_view", False):
            return WaitlistEntry.objects.none()
        return waitlist_visible_to(self.request.user)

    def perform_destroy(self, entry: WaitlistEntry) -> None:
        services.waitlist_leave(entry=entry, by=self.request.user)
