from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from movies.tests.factories import MovieFactory
from pricing.models import ADULT, TicketType
from pricing.tests.factories import standard_ticket_types
from theaters import services
from theaters.models import Room, Showtime, ShowtimePrice


class RoomFactory(factory.django.DjangoModelFactory):
    """A room with its seat grid, made by the service: `RoomFactory(rows=5, seats_per_row=8)`,
    or drawn: `RoomFactory(layout=["SS.SS", "WC.SS"])`."""

    class Meta:
        model = Room

    name = factory.Sequence(lambda n: f"Room {n}")

    @classmethod
    def _create(
        cls, model_class, *, name: str, rows: int = 5, seats_per_row: int = 8, layout=None, **kwargs
    ) -> Room:
        if layout is not None:
            return services.room_create(name=name, layout=layout)
        return services.room_create(name=name, rows=rows, seats_per_row=seats_per_row)


class ShowtimeFactory(factory.django.DjangoModelFactory):
    """A scheduled showtime; times derive from the movie (no overlap check: tests place them).

    It offers Adult at `price`, and any other types given as `prices={"child": Decimal("6")}`.
    """

    class Meta:
        model = Showtime

    movie = factory.SubFactory(MovieFactory)
    room = factory.SubFactory(RoomFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
    price = Decimal("12.50")

    @classmethod
    def _create(cls, model_class, *args, prices=None, **kwargs) -> Showtime:
        showtime = model_class(*args, **kwargs)
        showtime.set_times()
        showtime.save()
        wanted = {ADULT: showtime.price, **(prices or {})}
        types = standard_ticket_types()
        if set(wanted) - set(types):
            types |= {t.code: t for t in TicketType.objects.filter(code__in=wanted)}
        ShowtimePrice.objects.bulk_create(
            ShowtimePrice(showtime=showtime, ticket_type=types[code], price=amount)
            for code, amount in wanted.items()
        )
        return showtime
