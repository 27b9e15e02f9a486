"""Repeat scheduling (theaters/series.py): the preview, creation, DST, the limit, the command."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from movies.tests.factories import MovieFactory
from theaters import series
from theaters.models import Showtime, ShowtimePrice
from theaters.series import MAX_SERIES, OK, OVERLAP, PAST, SeriesSpec, preview_series, series_create
from theaters.services import ScheduleError
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = pytest.mark.django_db

LISBON = ZoneInfo("Europe/Lisbon")
EVERY_DAY = frozenset(range(7))


@pytest.fixture(autouse=True)
def lisbon(settings):
    settings.TIME_ZONE = "Europe/Lisbon"
    settings.CLEANING_MINUTES = 15


@pytest.fixture(autouse=True)
def thursday_afternoon():
    # Thu 25 Mar 2027, 15:00 in Lisbon (UTC+0); summer time starts Sun 28 Mar at 01:00 UTC.
    with time_machine.travel(datetime(2027, 3, 25, 15, 0, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def room():
    return RoomFactory(name="Studio 1")


@pytest.fixture
def movie():
    return MovieFactory(title="Arrival", runtime_minutes=120)


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, 3, day, hour, minute, tzinfo=LISBON)


def week(movie, room, **kwargs) -> SeriesSpec:
    """Thu 25 to Wed 31 March 2027, every day at 14:00 and 20:00."""
    return SeriesSpec(
        movie=movie,
        room=room,
        **{
            "first_day": date(2027, 3, 25),
            "last_day": date(2027, 3, 31),
            "weekdays": EVERY_DAY,
            "times": [time(20), time(14)],
            **kwargs,
        },
    )


@pytest.fixture
def dune_on_saturday(room):
    """Another movie at 19:30 on Saturday: the series' 20:00 that day overlaps it."""
    return ShowtimeFactory(room=room, movie__title="Dune", starts_at=local(27, 19, 30))


def test_the_preview_marks_each_start_ok_overlapping_or_past_across_the_dst_change(
    movie, room, dune_on_saturday
):
    planned = preview_series(week(movie, room))

    assert [(item.local_start, item.status) for item in planned] == [
        (local(25, 14), PAST),
        (local(25, 20), OK),
        (local(26, 14), OK),
        (local(26, 20), OK),
        (local(27, 14), OK),
        (local(27, 20), OVERLAP),
        (local(28, 14), OK),
        (local(28, 20), OK),
        (local(29, 14), OK),
        (local(29, 20), OK),
        (local(30, 14), OK),
        (local(30, 20), OK),
        (local(31, 14), OK),
        (local(31, 20), OK),
    ]
    # The wall clock holds: 20:00 is 20:00 UTC before the change and 19:00 UTC after it.
    assert planned[1].starts_at.astimezone(UTC).hour == 20
    assert planned[-1].starts_at.astimezone(UTC).hour == 19
    assert "Dune" in planned[5].detail and "Sat 27 Mar 19:30" in planned[5].detail
    assert planned[0].detail == "This start is in the past."
    assert not Showtime.objects.filter(movie=movie).exists()  # a preview writes nothing


def test_creation_makes_the_ok_ones_at_their_prices_and_reports_the_skipped(movie, room, dune_on_saturday):
    planned = series_create(week(movie, room, price=Decimal("8.00"), prices={"child": Decimal("5.00")}))

    created = Showtime.objects.filter(movie=movie).order_by("starts_at")
    assert [s.starts_at for s in created] == [i.starts_at for i in planned if i.status == OK]
    assert len(created) == 12
    assert [item.showtime for item in planned if item.status != OK] == [None, None]
    assert {s.price for s in created} == {Decimal("8.00")}
    child = ShowtimePrice.objects.filter(showtime__in=created, ticket_type__code="child")
    assert {line.price for line in child} == {Decimal("5.00")}
    # Other types keep the price card's (Standard, from the migration).
    assert ShowtimePrice.objects.filter(showtime=created[0]).count() > 2


def test_a_start_overlapping_an_earlier_one_of_the_series_is_skipped(movie, room):
    planned = preview_series(week(movie, room, last_day=date(2027, 3, 26), times=[time(16), time(17)]))

    assert [item.status for item in planned] == [OK, OVERLAP, OK, OVERLAP]
    assert planned[1].detail == "Overlaps this series’ showtime of Thu 25 Mar 16:00."


def test_a_count_is_of_showtimes_in_date_order_on_the_chosen_weekdays(movie, room):
    spec = week(movie, room, last_day=None, count=3, weekdays=frozenset({0, 4}), times=[time(21)])

    starts = [item.local_start for item in preview_series(spec)]

    assert starts == [local(26, 21), local(29, 21), datetime(2027, 4, 2, 21, tzinfo=LISBON)]


def test_at_most_200_showtimes(movie, room):
    exactly = week(movie, room, last_day=None, count=MAX_SERIES, times=[time(10), time(22)])
    assert len(preview_series(exactly)) == MAX_SERIES

    with pytest.raises(ScheduleError) as error:
        preview_series(week(movie, room, last_day=None, count=MAX_SERIES + 1))
    assert error.value.field == "count"
    # 101 days × 2 times is 202.
    with pytest.raises(ScheduleError) as error:
        preview_series(week(movie, room, last_day=date(2027, 7, 3)))
    assert error.value.code == "invalid_series" and "at most 200" in error.value.message
    assert not Showtime.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"last_day": date(2027, 3, 24)}, "last_day"),
        ({"count": 3}, "last_day"),  # both
        ({"last_day": None}, "last_day"),  # neither
        ({"weekdays": frozenset()}, "weekdays"),
        ({"times": []}, "times"),
        ({"times": [time(20), time(20)]}, "times"),
        ({"last_day": date(2027, 3, 26), "weekdays": frozenset({6})}, "weekdays"),
        ({"first_day": date(2033, 1, 1), "last_day": date(2033, 1, 2)}, "first_day"),
    ],
)
def test_bad_series_are_refused_whole(movie, room, changes, field):
    with pytest.raises(ScheduleError) as error:
        series_create(week(movie, room, **changes))
    assert error.value.field == field
    assert not Showtime.objects.exists()


def test_without_a_card_or_a_price_the_series_is_refused(movie, room):
    from pricing.models import PriceCard

    PriceCard.objects.all().delete()
    with pytest.raises(ScheduleError) as error:
        preview_series(week(movie, room))
    assert error.value.code == "adult_price_required"


def test_a_start_taken_after_the_preview_is_skipped_and_the_rest_still_created(movie, room, monkeypatch):
    """The savepoint: a showtime another staff member scheduled since the preview
    (here after it was read) makes that one start fail, not the series."""
    real_preview = series.preview_series

    def preview_then_someone_schedules(spec):
        planned = real_preview(spec)
        ShowtimeFactory(room=room, movie__title="Dune", starts_at=local(26, 19, 30))
        return planned

    monkeypatch.setattr(series, "preview_series", preview_then_someone_schedules)
    spec = week(movie, room, first_day=date(2027, 3, 26), last_day=date(2027, 3, 27), times=[time(20)])

    planned = series_create(spec)

    assert [(item.status, item.showtime is not None) for item in planned] == [(OVERLAP, False), (OK, True)]
    assert "Dune" in planned[0].detail
    assert list(Showtime.objects.filter(movie=movie).values_list("starts_at", flat=True)) == [local(27, 20)]
    assert not ShowtimePrice.objects.filter(showtime__movie=movie, showtime__starts_at=local(26, 20)).exists()


def run(*args: str) -> str:
    out = StringIO()
    call_command("schedule_series", *args, stdout=out)
    return out.getvalue()


def test_the_command_previews_a_week_on_a_dry_run(movie, room, dune_on_saturday):
    out = run(
        "--movie", "arrival", "--room", "Studio 1", "--first-day", "2027-03-25",
        "--last-day", "2027-03-31", "--times", "14:00,20:00", "--dry-run",
    )  # fmt: skip

    lines = out.splitlines()
    assert lines[0].split() == ["Starts", "Status", "Reason"]
    assert lines[1].startswith("Thu 25 Mar 2027 14:00   past")
    assert lines[6].startswith("Sat 27 Mar 2027 20:00   overlap  Studio 1 is busy then: “Dune”")
    assert lines[-1] == "Dry run: 12 would be created, 2 skipped; nothing created."
    assert not Showtime.objects.filter(movie=movie).exists()


def test_the_command_creates_the_ok_ones(movie, room, dune_on_saturday):
    out = run(
        "--movie", str(movie.pk), "--room", str(room.pk), "--first-day", "2027-03-26",
        "--count", "4", "--weekdays", "friday,saturday", "--times", "20:00", "--price", "9.50",
    )  # fmt: skip

    assert "Created 3 showtime(s); skipped 1." in out
    created = Showtime.objects.filter(movie=movie)
    assert [s.starts_at for s in created] == [local(26, 20), datetime(2027, 4, 2, 20, tzinfo=LISBON),
                                              datetime(2027, 4, 3, 20, tzinfo=LISBON)]  # fmt: skip
    assert {s.price for s in created} == {Decimal("9.50")}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--room", "Nowhere"], "No room is “Nowhere”."),
        (["--first-day", "2027-02-30"], "is not a day"),
        (["--times", "25:00"], "“25:00” is not a time"),
        (["--weekdays", "funday"], "“funday” is not a weekday"),
        (["--price", "-1"], "is not a price"),
        (["--last-day", "2027-03-20"], "The last day cannot be before the first day."),
        (["--prices", "popcorn=3"], "No ticket type on sale is called “popcorn”."),
    ],
)
def test_the_command_refuses_bad_input(movie, room, args, message):
    defaults = {"--movie": "Arrival", "--room": "Studio 1", "--first-day": "2027-03-25",
                "--last-day": "2027-03-31", "--times": "20:00"}  # fmt: skip
    options = dict(defaults, **dict(zip(args[::2], args[1::2], strict=True)))
    with pytest.raises(CommandError, match=message):
        run(*(part for pair in options.items() for part in pair))
    assert not Showtime.objects.exists()


@pytest.mark.parametrize(
    ("first_day", "last_day", "count"),
    [
        (date(9999, 12, 31), None, 1),
        (date(9999, 12, 30), date(9999, 12, 31), None),
        (date(2031, 12, 1), None, 200),
    ],
)
def test_days_far_ahead_are_refused_not_a_crash(movie, room, first_day, last_day, count):
    spec = week(movie, room, first_day=first_day, last_day=last_day, count=count, times=[time(20)])

    with pytest.raises(ScheduleError) as error:
        preview_series(spec)
    assert error.value.code == "starts_too_far_ahead"


def test_a_time_the_clock_skips_is_shown_as_the_time_it_becomes(movie, room):
    """01:30 does not exist in Lisbon on 28 March 2027 (01:00 jumps to 02:00)."""
    spec = week(movie, room, first_day=date(2027, 3, 27), last_day=date(2027, 3, 29), times=[time(1, 30)])

    planned = preview_series(spec)

    assert [item.local_start.strftime("%d %H:%M") for item in planned] == ["27 01:30", "28 02:30", "29 01:30"]
