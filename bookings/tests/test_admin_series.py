"""The admin's "Schedule a series" as a Theater staff member: preview, create, refusals as form errors."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.admin.models import ADDITION, LogEntry
from django.urls import reverse

from accounts.tests.factories import UserFactory
from movies.tests.factories import MovieFactory
from pricing.models import PriceCardPrice
from theaters.models import Showtime
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = pytest.mark.django_db

LISBON = ZoneInfo("Europe/Lisbon")
URL = reverse("admin:theaters_showtime_series")


@pytest.fixture(autouse=True)
def lisbon_before_summer_time(settings):
    settings.TIME_ZONE = "Europe/Lisbon"
    with time_machine.travel(datetime(2027, 3, 25, 15, 0, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def staff_client(client, theater_staff):
    client.force_login(theater_staff)
    return client


@pytest.fixture
def movie():
    return MovieFactory(title="Arrival", runtime_minutes=120)


@pytest.fixture
def room():
    return RoomFactory(name="Studio 1")


@pytest.fixture
def dune(room):
    return ShowtimeFactory(
        room=room, movie__title="Dune", starts_at=datetime(2027, 3, 27, 19, 30, tzinfo=LISBON)
    )


@pytest.fixture
def form(movie, room) -> dict:
    """Thu 25 to Sun 28 March 2027 at 14:00 and 20:00, at the price cards' prices."""
    return {
        "movie": movie.pk,
        "room": room.pk,
        "first_day": "2027-03-25",
        "last_day": "2027-03-28",
        "count": "",
        "weekdays": ["3", "4", "5", "6"],
        "times": "14:00, 20:00",
        "price": "",
    }


def test_the_showtime_list_links_to_it(staff_client):
    response = staff_client.get(reverse("admin:theaters_showtime_changelist"))

    assert f'href="{URL}"' in response.text and "Schedule a series" in response.text


def test_the_form_has_labelled_fields_and_weekday_checkboxes(staff_client):
    response = staff_client.get(URL)

    assert response.status_code == 200
    assert '<label for="id_first_day">' in response.text
    assert "<legend>Weekdays:</legend>" in response.text
    assert 'type="checkbox" name="weekdays" value="0"' in response.text
    assert 'name="price_child"' in response.text
    assert 'name="_create"' not in response.text  # only after a preview


def test_preview_shows_each_start_with_its_status_and_creates_nothing(staff_client, form, movie, dune):
    response = staff_client.post(URL, {**form, "_preview": "Preview"})

    assert response.status_code == 200
    rows = [(item.local_start.strftime("%a %H:%M"), item.status) for item in response.context["planned"]]
    assert rows == [
        ("Thu 14:00", "past"),
        ("Thu 20:00", "ok"),
        ("Fri 14:00", "ok"),
        ("Fri 20:00", "ok"),
        ("Sat 14:00", "ok"),
        ("Sat 20:00", "overlap"),
        ("Sun 14:00", "ok"),
        ("Sun 20:00", "ok"),
    ]
    assert '<table id="series-preview"' in response.text
    assert "Sun 28 Mar 2027, 20:00" in response.text
    assert "Studio 1 is busy then: “Dune”" in response.text
    assert 'name="_create"' in response.text
    assert not Showtime.objects.filter(movie=movie).exists()


def test_create_makes_the_ok_ones_and_says_what_was_skipped(staff_client, form, movie, dune, theater_staff):
    standard_adult = PriceCardPrice.objects.get(card__name="Standard", ticket_type__code="adult").price
    response = staff_client.post(URL, {**form, "_create": "Create"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("admin:theaters_showtime_changelist")
    notes = [str(message) for message in response.context["messages"]]
    assert "Created 6 showtimes." in notes
    skipped = next(note for note in notes if note.startswith("Skipped 2:"))
    assert "Thu 25 Mar 2027, 14:00: This start is in the past." in skipped
    assert "Sat 27 Mar 2027, 20:00: Studio 1 is busy then: “Dune”" in skipped
    created = Showtime.objects.filter(movie=movie)
    assert created.count() == 6
    # At the Standard card's adult price, as a single showtime left empty would be.
    assert {showtime.prices.get(ticket_type__code="adult").price for showtime in created} == {standard_adult}
    assert {showtime.price for showtime in created} == {standard_adult}
    assert LogEntry.objects.filter(user=theater_staff, action_flag=ADDITION).count() == 6


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"times": "8pm"}, "times", "“8pm” is not a time such as 20:30."),
        ({"times": "20:00 20:00"}, "times", "A start time is given twice."),
        ({"count": "3"}, "last_day", "Give the last day or a count, not both."),
        ({"last_day": "", "count": "201"}, "count", "200"),
        ({"last_day": "2027-12-31"}, "last_day", "at most 200"),
        ({"last_day": "2027-03-20"}, "last_day", "The last day cannot be before the first day."),
        ({"weekdays": []}, "weekdays", "This field is required."),
        ({"price_child": "-1"}, "price_child", "greater than or equal to 0"),
    ],
)
def test_refusals_are_form_errors(staff_client, form, movie, changes, field, message):
    response = staff_client.post(URL, {**form, **changes, "_create": "Create"})

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Showtime.objects.filter(movie=movie).exists()


def test_without_a_card_or_a_price_it_asks_for_the_adult_price(staff_client, form, movie):
    from pricing.models import PriceCard

    PriceCard.objects.all().delete()
    response = staff_client.post(URL, {**form, "_preview": "Preview"})

    assert "give the adult price" in " ".join(response.context["form"].errors["price"])
    assert not Showtime.objects.filter(movie=movie).exists()


def test_staff_without_the_add_permission_are_refused(client, form, movie):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(URL).status_code == 403
    assert client.post(URL, {**form, "_create": "Create"}).status_code == 403
    assert not Showtime.objects.filter(movie=movie).exists()
