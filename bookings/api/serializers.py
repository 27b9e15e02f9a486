from __future__ import annotations

from datetime import time

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bookings.forms import MAX_SEAT_IDS, at_most_per_booking
from bookings.models import (
    WAITLIST_LIVE,
    Booking,
    Hold,
    HoldStatus,
    Ticket,
    WaitlistEntry,
    WaitlistStatus,
    sales_close_at,
)
from bookings.selectors import showtime_offer
from cinema.api import DateTimeField, IdField
from cinema.ids import MAX_ID
from cinema.money import money_text
from movies.api.serializers import MovieSerializer
from movies.models import Movie
from theaters.api.serializers import SeatSerializer
from theaters.models import Room, Showtime, ShowtimeStatus
from theaters.series import MAX_SERIES, OVERLAP, PAST, WEEKDAYS, Planned, SeriesSpec, parse_start_time
from theaters.services import adult_price_of


class BookingSeatSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="seat_id")
    label = serializers.CharField(source="seat.label")
    ticket_type = serializers.CharField(source="ticket_type.code", help_text="A ticket type code.")
    price = serializers.DecimalField(max_digits=7, decimal_places=2, help_text="What it was sold at.")

    class Meta:
        model = Ticket
        fields = ["id", "label", "ticket_type", "price"]


class BookingSerializer(serializers.ModelSerializer):
    """A booking as docs/api.md shows it; reads `Booking.objects.with_details()`.

    `user_email` only goes to staff.
    """

    session = serializers.IntegerField(source="showtime_id", read_only=True)
    movie_title = serializers.CharField(source="showtime.movie.title", read_only=True)
    room_name = serializers.CharField(source="showtime.room.name", read_only=True)
    starts_at = DateTimeField(source="showtime.starts_at", read_only=True)
    seats = BookingSeatSerializer(source="held_tickets", many=True, read_only=True)
    created_at = DateTimeField(read_only=True)
    checked_in_at = DateTimeField(
        read_only=True, allow_null=True, help_text="When it was admitted at the door."
    )
    user_email = serializers.EmailField(source="user.email", required=False, help_text="Staff only.")
    currency = serializers.SerializerMethodField(help_text="The ISO 4217 code of the prices.")

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
            "currency",
            "created_at",
            "checked_in_at",
            "user",
            "user_email",
        ]
        read_only_fields = [field for field in fields if field != "user_email"]

    def get_currency(self, booking: Booking) -> str:
        return settings.CURRENCY

    def to_representation(self, booking: Booking) -> dict:
        # The fields above, written out: DRF builds a ModelSerializer's fields
        # (and its nested seats serializer's) afresh for every instance, which
        # cost a tenth of a booking request. The declarations still describe
        # the schema, and the tests hold the two to the same output.
        showtime = booking.showtime
        data = {
            "id": booking.pk,
            "code": booking.code,
            "session": booking.showtime_id,
            "movie_title": showtime.movie.title,
            "room_name": showtime.room.name,
            "starts_at": timezone.localtime(showtime.starts_at).isoformat(),
            "seats": [
                {
                    "id": ticket.seat_id,
                    "label": ticket.seat.label,
                    "ticket_type": ticket.ticket_type.code,
                    "price": money_text(ticket.price),
                }
                for ticket in booking.held_tickets()
            ],
            "status": booking.status,
            "total_price": money_text(booking.total_price),
            "currency": settings.CURRENCY,
            "created_at": timezone.localtime(booking.created_at).isoformat(),
            "checked_in_at": timezone.localtime(booking.checked_in_at).isoformat()
            if booking.checked_in_at
            else None,
            "user": booking.user_id,
        }
        if self.context["request"].user.is_staff:
            data["user_email"] = booking.user.email
        return data


class BoundedListField(serializers.ListField):
    """A list whose length is checked first: DRF's own `max_length` runs after every
    element has been validated, so 100,000 items would all be validated to be refused."""

    bound = MAX_SEAT_IDS

    def __init__(self, **kwargs) -> None:
        super().__init__(max_length=self.bound, **kwargs)

    def to_internal_value(self, data) -> list:
        if isinstance(data, list | tuple) and len(data) > self.bound:
            self.fail("max_length", max_length=self.bound)
        return super().to_internal_value(data)


class SeatIdsField(BoundedListField):
    """Seat ids, shape only: how many seats, and which, is the booking service's to judge."""

    child = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class TicketSerializer(serializers.Serializer):
    seat = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    ticket_type = serializers.SlugField(max_length=30, required=False, help_text="Adult when left out.")


class TicketsField(BoundedListField):
    """`[{"seat", "ticket_type"}]`, as long as a list of seat ids may be."""

    child = TicketSerializer()


def seats_and_types(data: dict) -> tuple[list[int], dict[int, str]]:
    """The seat ids and the ticket types by seat of a body with `seats` or `tickets`."""
    if "tickets" not in data:
        return data.get("seats", []), {}
    tickets = data["tickets"]
    return [t["seat"] for t in tickets], {t["seat"]: t["ticket_type"] for t in tickets if "ticket_type" in t}


class BookingCreateSerializer(serializers.Serializer):
    """`{"session", "seats" | "tickets"}` books directly; `{"hold", "tickets"?}` books
    exactly the held seats. Seats without a ticket type are adult."""

    # With what the answer shows: the booking keeps them (bookings/services.py).
    session = IdField(queryset=Showtime.objects.select_related("movie", "room"), required=False)
    seats = SeatIdsField(required=False)
    tickets = TicketsField(required=False)
    hold = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, help_text="A hold's id.")

    def validate(self, data: dict) -> dict:
        if "seats" in data and "tickets" in data:
            raise serializers.ValidationError(_("Give either seats or tickets, not both."))
        if "hold" in data:
            if "session" in data or "seats" in data:
                raise serializers.ValidationError(_("Give either a hold or a session with seats, not both."))
        elif "session" not in data or ("seats" not in data and "tickets" not in data):
            raise serializers.ValidationError(_("Give a session with seats, or a hold."))
        return data


class BookingChangeSerializer(serializers.Serializer):
    """The new full set of seats, as `seats` or as `tickets` (which types new seats)."""

    seats = SeatIdsField(required=False)
    tickets = TicketsField(required=False)

    def validate(self, data: dict) -> dict:
        if ("seats" in data) == ("tickets" in data):
            raise serializers.ValidationError(_("Give either seats or tickets."))
        return data


class SessionPriceSerializer(serializers.Serializer):
    ticket_type = serializers.CharField(help_text="A ticket type code.")
    name = serializers.CharField()
    price = serializers.DecimalField(max_digits=7, decimal_places=2)


def session_prices(showtime: Showtime) -> list[dict]:
    return [
        {"ticket_type": line.ticket_type.code, "name": line.ticket_type.name, "price": money_text(line.price)}
        for line in showtime_offer(showtime).lines
    ]


class SessionSerializer(serializers.ModelSerializer):
    """A showtime; reads `seats_sold` (`bookings.models.seats_sold()`)."""

    movie_title = serializers.CharField(source="movie.title", read_only=True)
    room_name = serializers.CharField(source="room.name", read_only=True)
    starts_at = DateTimeField(read_only=True)
    ends_at = DateTimeField(read_only=True)
    seats_total = serializers.IntegerField(source="room.capacity", read_only=True)
    seats_available = serializers.SerializerMethodField()
    sales_close_at = serializers.SerializerMethodField(help_text="When online sales close.")
    prices = serializers.SerializerMethodField(help_text="In ticket type order; `adult` is `price`.")
    currency = serializers.SerializerMethodField(help_text="The ISO 4217 code of the prices.")

    class Meta:
        model = Showtime
        fields = [
            "id",
            "movie",
            "movie_title",
            "room",
            "room_name",
            "starts_at",
            "ends_at",
            "price",
            "seats_total",
            "seats_available",
            "status",
            "sales_close_at",
            "prices",
            "currency",
        ]
        read_only_fields = fields

    def get_seats_available(self, showtime: Showtime) -> int:
        return showtime.room.capacity - showtime.seats_sold

    @extend_schema_field(SessionPriceSerializer(many=True))
    def get_prices(self, showtime: Showtime) -> list[dict]:
        return session_prices(showtime)

    def get_currency(self, showtime: Showtime) -> str:
        return settings.CURRENCY

    def get_sales_close_at(self, showtime: Showtime) -> str:
        return timezone.localtime(sales_close_at(showtime)).isoformat()

    def to_representation(self, showtime: Showtime) -> dict:
        # The fields above, written out: DRF builds a ModelSerializer's fields
        # afresh for every instance, which cost as much as the rest of
        # GET /api/sessions/{id}. The declarations still describe the schema,
        # and the tests hold the two to the same output.
        return {
            "id": showtime.pk,
            "movie": showtime.movie_id,
            "movie_title": showtime.movie.title,
            "room": showtime.room_id,
            "room_name": showtime.room.name,
            "starts_at": timezone.localtime(showtime.starts_at).isoformat(),
            "ends_at": timezone.localtime(showtime.ends_at).isoformat(),
            "price": money_text(showtime.price),
            "seats_total": showtime.room.capacity,
            "seats_available": self.get_seats_available(showtime),
            "status": showtime.status,
            "sales_close_at": self.get_sales_close_at(showtime),
            "prices": self.get_prices(showtime),
            "currency": settings.CURRENCY,
        }


class SessionSeatSerializer(SeatSerializer):
    """Documents the seat map's items; the view builds them as plain dicts for speed."""

    available = serializers.BooleanField()
    held = serializers.BooleanField(help_text="Kept by someone else's hold.")

    class Meta(SeatSerializer.Meta):
        fields = [*SeatSerializer.Meta.fields, "available", "held"]


class SessionDetailSerializer(SessionSerializer):
    seats = SessionSeatSerializer(many=True, read_only=True)

    class Meta(SessionSerializer.Meta):
        fields = [*SessionSerializer.Meta.fields, "seats"]
        read_only_fields = fields


class PriceSerializer(serializers.Serializer):
    ticket_type = serializers.SlugField(max_length=30)
    price = serializers.DecimalField(max_digits=7, decimal_places=2, min_value=0)


class PricesField(BoundedListField):
    """`[{"ticket_type", "price"}]` as a mapping of codes to prices; a code twice is refused."""

    child = PriceSerializer()
    bound = 50

    def to_internal_value(self, data) -> dict:
        items = super().to_internal_value(data)
        prices = {item["ticket_type"]: item["price"] for item in items}
        if len(prices) != len(items):
            raise serializers.ValidationError(_("A ticket type is priced twice."))
        return prices


class SessionCreateSerializer(serializers.Serializer):
    """`price` (adult) and `prices` override the price card covering the start (docs/api.md)."""

    movie = IdField(queryset=Movie.objects.all())
    room = IdField(queryset=Room.objects.all())
    starts_at = serializers.DateTimeField()
    price = serializers.DecimalField(max_digits=7, decimal_places=2, min_value=0, required=False)
    prices = PricesField(required=False)


class SessionUpdateSerializer(serializers.Serializer):
    """Any of these; `{"status": "cancelled"}` cancels the session and its confirmed bookings."""

    movie = IdField(queryset=Movie.objects.all(), required=False)
    room = IdField(queryset=Room.objects.all(), required=False)
    starts_at = serializers.DateTimeField(required=False)
    price = serializers.DecimalField(max_digits=7, decimal_places=2, min_value=0, required=False)
    prices = PricesField(required=False)
    status = serializers.ChoiceField(choices=ShowtimeStatus.choices, required=False)


class MovieDetailSerializer(MovieSerializer):
    sessions = SessionSerializer(many=True, read_only=True, source="upcoming_sessions")

    class Meta(MovieSerializer.Meta):
        fields = [*MovieSerializer.Meta.fields, "sessions"]


class HoldSeatSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()


class HoldSerializer(serializers.ModelSerializer):
    """A hold as docs/api.md shows it; `status` reads an active hold past its expiry as expired."""

    session = serializers.IntegerField(source="showtime_id", read_only=True)
    seats = HoldSeatSerializer(many=True, read_only=True)
    expires_at = DateTimeField(read_only=True)
    renewals_left = serializers.IntegerField(read_only=True)
    status = serializers.ChoiceField(choices=HoldStatus.choices, read_only=True)

    class Meta:
        model = Hold
        fields = ["id", "session", "seats", "expires_at", "renewals_left", "status"]

    def to_representation(self, hold: Hold) -> dict:
        return {
            "id": hold.pk,
            "session": hold.showtime_id,
            "seats": [{"id": held.seat_id, "label": held.seat.label} for held in hold.seat_list],
            "expires_at": timezone.localtime(hold.expires_at).isoformat(),
            "renewals_left": hold.renewals_left,
            "status": hold.current_status(),
        }


class HoldCreateSerializer(serializers.Serializer):
    """`{"session", "seats"}` holds those seats; `{"session", "count"}` the best `count`."""

    session = IdField(queryset=Showtime.objects.all())
    seats = SeatIdsField(required=False)
    count = serializers.IntegerField(
        min_value=1, max_value=MAX_SEAT_IDS, required=False, help_text="Hold the best this many seats."
    )

    def validate(self, data: dict) -> dict:
        if ("seats" in data) == ("count" in data):
            raise serializers.ValidationError(_("Give either seats or a count."))
        return data


class BestSeatSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()


class BestSeatsSerializer(serializers.Serializer):
    seats = BestSeatSerializer(many=True)
    together = serializers.BooleanField(help_text="False when no seats that many side by side are free.")


class BestSeatsQuerySerializer(serializers.Serializer):
    count = serializers.IntegerField(min_value=1, validators=[at_most_per_booking])


class CheckInCreateSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40, help_text="Case, spaces and dashes are ignored.")
    session = IdField(queryset=Showtime.objects.select_related("movie", "room"))


class CheckInSerializer(serializers.Serializer):
    """An admission: the booking, its seats, when and by whom (`checked_in_by` is the staff member's id)."""

    booking = serializers.IntegerField(source="booking_id")
    code = serializers.CharField(source="booking.code")
    session = serializers.IntegerField(source="booking.showtime_id")
    seats = BookingSeatSerializer(source="booking.held_tickets", many=True)
    checked_in_at = DateTimeField(source="at")
    checked_in_by = serializers.IntegerField(source="by_id")
    checked_in_by_name = serializers.CharField(source="by.name")


@extend_schema_field({"type": "string", "example": "20:30"})
class StartTimeField(serializers.Field):
    """A local start time, "20:30"."""

    def to_internal_value(self, data) -> time:
        try:
            return parse_start_time(data if isinstance(data, str) else "")
        except ValueError:
            raise serializers.ValidationError(
                _("%(value)r is not a time such as 20:30.") % {"value": data}
            ) from None

    def to_representation(self, value: time) -> str:
        return value.strftime("%H:%M")


class SeriesCreateSerializer(serializers.Serializer):
    """A series of sessions (docs/api.md): `last_day` or `count` (showtimes, in date order);
    `price` and `prices` override the price card covering each start."""

    movie = IdField(queryset=Movie.objects.all())
    room = IdField(queryset=Room.objects.all())
    first_day = serializers.DateField()
    last_day = serializers.DateField(required=False)
    count = serializers.IntegerField(required=False, min_value=1, max_value=MAX_SERIES)
    weekdays = serializers.ListField(
        child=serializers.ChoiceField(choices=WEEKDAYS), allow_empty=False, max_length=len(WEEKDAYS)
    )
    times = serializers.ListField(child=StartTimeField(), allow_empty=False, max_length=24)
    price = serializers.DecimalField(max_digits=7, decimal_places=2, min_value=0, required=False)
    prices = PricesField(required=False)
    dry_run = serializers.BooleanField(default=False, help_text="Preview only: nothing is created (200).")

    def spec(self) -> SeriesSpec:
        data = self.validated_data
        return SeriesSpec(
            movie=data["movie"],
            room=data["room"],
            first_day=data["first_day"],
            last_day=data.get("last_day"),
            count=data.get("count"),
            weekdays=frozenset(WEEKDAYS.index(name) for name in data["weekdays"]),
            times=data["times"],
            price=data.get("price"),
            prices=data.get("prices", {}),
        )


class SkippedSerializer(serializers.Serializer):
    starts_at = DateTimeField()
    reason = serializers.ChoiceField(choices=[OVERLAP, PAST])
    detail = serializers.CharField(help_text="Why, for people: the showtime it overlaps, if any.")


class SeriesResultSerializer(serializers.Serializer):
    created = SessionSerializer(
        many=True, help_text="On a dry run, the sessions that would be created (their `id` null)."
    )
    skipped = SkippedSerializer(many=True)


def skipped_item(item: Planned) -> dict:
    return {
        "starts_at": timezone.localtime(item.starts_at).isoformat(),
        "reason": item.status,
        "detail": item.detail,
    }


class PlannedSessionSerializer(SessionSerializer):
    """A start of a dry run as the Session it would become, from an unsaved Showtime:
    no id, no seat sold yet, its planned prices (`context["prices"]`); nothing keyed
    on a pk or seats_version is read."""

    def get_seats_available(self, showtime: Showtime) -> int:
        return showtime.room.capacity

    def get_prices(self, showtime: Showtime) -> list[dict]:
        lines = sorted(self.context["prices"].items(), key=lambda line: (line[0].order, line[0].pk))
        return [{"ticket_type": t.code, "name": t.name, "price": money_text(amount)} for t, amount in lines]


def planned_session(spec: SeriesSpec, item: Planned) -> dict:
    showtime = Showtime(
        movie=spec.movie, room=spec.room, starts_at=item.starts_at, price=adult_price_of(item.prices)
    )
    showtime.set_times()
    return PlannedSessionSerializer(showtime, context={"prices": item.prices}).data


class WaitlistEntrySerializer(serializers.ModelSerializer):
    """A waiting list entry as docs/api.md shows it; reads `WaitlistEntry.objects.with_position()`.
    `status` reads an offer by its hold (an offer run out is expired); `hold` is the
    offer's hold while it is offered; `position` is live (1 = next), null off the list."""

    session = serializers.IntegerField(source="showtime_id", read_only=True)
    position = serializers.IntegerField(read_only=True, allow_null=True)
    status = serializers.ChoiceField(choices=WaitlistStatus.choices, read_only=True)
    hold = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = WaitlistEntry
        fields = ["id", "session", "party_size", "position", "status", "hold"]

    def to_representation(self, entry: WaitlistEntry) -> dict:
        status = entry.current_status()
        return {
            "id": entry.pk,
            "session": entry.showtime_id,
            "party_size": entry.party_size,
            "position": entry.position if status in WAITLIST_LIVE else None,
            "status": status,
            "hold": entry.hold_id if status == WaitlistStatus.OFFERED else None,
        }


class WaitlistJoinSerializer(serializers.Serializer):
    party_size = serializers.IntegerField(help_text="1 to MAX_SEATS_PER_BOOKING people.")


class WaitlistQuerySerializer(serializers.Serializer):
    session = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
