from __future__ import annotations

import re
from datetime import timedelta
from unittest import mock
from urllib.parse import quote

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bookings import views
from bookings.management.commands.seed_demo import GRAND_HALL
from bookings.models import Booking, Hold, HoldStatus, sales_close_at
from bookings.selectors import customer_session_row, session_row
from bookings.services import (
    booking_cancel,
    booking_change_seats,
    hold_create,
    hold_release,
    showtime_cancel,
    waitlist_join,
)
from bookings.tests.factories import make_booking, seat_ids
from bookings.views import CSRF_PLACEHOLDER
from movies.models import Movie
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = pytest.mark.django_db


def map_url(showtime) -> str:
    return reverse("bookings:seat-map", args=[showtime.pk])


def checkbox(html: str, label: str) -> str:
    """The <input> tag whose accessible name starts with `Seat <label>`."""
    match = re.search(rf'<input [^>]*aria-label="Seat {label}(?: \(taken\))?"[^>]*>', html)
    assert match, f"no checkbox for {label}"
    return match.group(0)


@pytest.fixture
def showtime():
    return ShowtimeFactory(room=RoomFactory(rows=3, seats_per_row=6))


def test_it_shows_every_seat_as_a_named_checkbox_and_taken_ones_disabled(client, showtime, other_customer):
    make_booking(user=other_customer, showtime=showtime, labels=["B3"])

    response = client.get(map_url(showtime))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('name="seats"') == 18
    assert 'aria-label="Seat A1"' in html
    assert "disabled" not in checkbox(html, "A1")
    taken = checkbox(html, "B3")
    assert 'aria-label="Seat B3 (taken)"' in taken and "disabled" in taken
    assert re.search(r"<button[^>]*>\s*Continue", html)
    assert "js/seat-map.js" in html and "<script>" not in html


@pytest.mark.parametrize("layout", [None, GRAND_HALL], ids=["rectangle", "drawn"])
def test_it_renders_a_300_seat_map_within_the_query_budget(
    client, customer, django_assert_num_queries, layout
):
    showtime = ShowtimeFactory(room=RoomFactory(rows=15, seats_per_row=20, layout=layout))
    make_booking(user=customer, showtime=showtime, labels=["A1", "A2", "H10"])
    client.force_login(customer)

    # session, user, the showtime's row (what the page kept for every customer is
    # made of) with whether the customer holds seats of it (no); to render it: the
    # showtime with movie and room, the seats with whether each is taken (the booking
    # changed the showtime's seats_version: not cached yet); its prices as the booking
    # read them (cached for their version, which the booking left)
    with django_assert_num_queries(5):
        response = client.get(map_url(showtime))
    html = response.content.decode()
    assert html.count('name="seats"') == 300
    assert html.count("(taken)") == 3

    # Kept: session, user, the row with their hold (none).
    with django_assert_num_queries(3):
        again = client.get(map_url(showtime))
    assert again.content.decode().count("(taken)") == 3


def test_a_customers_read_of_the_row_says_whether_they_hold_seats_of_that_showtime(
    showtime, customer, other_customer, django_assert_num_queries
):
    other_showtime = ShowtimeFactory(room=showtime.room, starts_at=showtime.starts_at + timedelta(days=1))
    row = session_row(showtime.pk)
    with django_assert_num_queries(1):
        assert customer_session_row(customer, showtime.pk) == (row, False)
    assert customer_session_row(customer, showtime.pk + 1000) == (None, False)

    hold_create(user=other_customer, showtime=showtime, seat_ids=seat_ids(showtime, "A1"))
    hold = hold_create(user=customer, showtime=other_showtime, seat_ids=seat_ids(other_showtime, "A1"))
    assert customer_session_row(customer, showtime.pk) == (session_row(showtime.pk), False)
    assert customer_session_row(customer, other_showtime.pk)[1] is True

    hold_release(hold=hold, by=customer)
    assert customer_session_row(customer, other_showtime.pk)[1] is False
    hold = hold_create(user=customer, showtime=showtime, seat_ids=seat_ids(showtime, "B1"))
    assert customer_session_row(customer, showtime.pk) == (session_row(showtime.pk), True)
    with time_machine.travel(hold.expires_at + timedelta(seconds=1)):
        assert customer_session_row(customer, showtime.pk)[1] is False


def test_the_best_seats_come_ticked_within_the_query_budget(client, customer, django_assert_num_queries):
    showtime = ShowtimeFactory(room=RoomFactory(layout=GRAND_HALL))
    client.force_login(customer)

    # session, user, showtime with movie and room, the customer's hold of it (none),
    # the seats with whether each is taken (their own hold's counting as free), its prices
    with django_assert_num_queries(6):
        response = client.get(map_url(showtime), {"best": 4})

    html = response.content.decode()
    assert "The best 4 seats: J8, J9, J10, J11" in html
    assert html.count(" checked>") == 4


def test_it_shows_anonymous_visitors_the_map_within_the_query_budget(
    client, showtime, django_assert_num_queries
):
    client.get(map_url(showtime))  # fills the seat states cached for this version

    # the showtime's row: the page rendered for it (and its seats version) is served again
    with django_assert_num_queries(1):
        response = client.get(map_url(showtime))

    assert response.status_code == 200
    assert "log in" in response.content.decode()
    assert response.content.decode().count('name="seats"') == 18


def test_visitors_share_the_rendered_map_but_each_gets_their_own_csrf_token(showtime):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)

    pages = [client.get(map_url(showtime)) for client in (first, second)]

    tokens = [
        re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()) for page in pages
    ]
    assert tokens[0] and tokens[1] and set(tokens[0]).isdisjoint(tokens[1])
    assert CSRF_PLACEHOLDER not in pages[0].content.decode()
    strip = [
        re.sub(r'value="[^"]+" name|name="csrfmiddlewaretoken" value="[^"]+"', "", p.content.decode())
        for p in pages
    ]
    assert strip[0] == strip[1]
    for client, token in zip((first, second), tokens, strict=True):
        seat = seat_ids(showtime, "A1")[0]
        answer = client.post(map_url(showtime), {"seats": [seat], "csrfmiddlewaretoken": token[0]})
        assert answer.status_code == 302 and answer["Location"].startswith(reverse("accounts:login"))


def test_the_shared_map_is_rendered_once_for_all_visitors_until_a_seat_changes(showtime, other_customer):
    with mock.patch("bookings.views._render_seat_map", wraps=views._render_seat_map) as render:
        for _visitor in range(3):
            Client().get(map_url(showtime))
        make_booking(user=other_customer, showtime=showtime, labels=["B3"])
        after = Client().get(map_url(showtime)).content.decode()

    assert render.call_count == 2  # once, then again for the new seats version
    assert 'aria-label="Seat B3 (taken)"' in after


def test_the_shared_map_ends_when_online_sales_close(client, showtime, settings):
    settings.SALES_CLOSE_MINUTES = 15
    with time_machine.travel(sales_close_at(showtime) - timedelta(minutes=1), tick=False):
        before = client.get(map_url(showtime)).content.decode()
    with time_machine.travel(sales_close_at(showtime) + timedelta(minutes=1), tick=False):
        after = client.get(map_url(showtime)).content.decode()

    assert "Online sales for this showtime have closed" not in before
    assert "Online sales for this showtime have closed" in after


def test_a_visitor_with_a_session_or_messages_gets_a_map_of_their_own(client, showtime, customer):
    client.get(map_url(showtime))
    client.force_login(customer)

    html = client.get(map_url(showtime)).content.decode()

    assert "Carla Customer" in html


def test_a_staff_edit_of_the_showtime_shows_on_the_shared_map_at_once(client, showtime):
    client.get(map_url(showtime))
    Movie.objects.filter(pk=showtime.movie_id).update(title="Renamed")

    assert "Renamed" in client.get(map_url(showtime)).content.decode()


def test_a_booking_shows_on_the_cached_map_at_once(client, showtime, customer, other_customer):
    before = client.get(map_url(showtime)).content.decode()
    make_booking(user=other_customer, showtime=showtime, labels=["B3"])

    after = client.get(map_url(showtime)).content.decode()

    assert 'aria-label="Seat B3"' in before
    assert 'aria-label="Seat B3 (taken)"' in after
    assert "18 of 18 seats" in before and "17 of 18 seats" in after


def test_a_cancel_and_a_change_of_seats_show_on_the_cached_map_at_once(client, showtime, customer):
    booking = make_booking(user=customer, showtime=showtime, labels=["A1"])
    client.get(map_url(showtime))

    booking_change_seats(booking=booking, seat_ids=seat_ids(showtime, "C6"), by=customer)
    changed = client.get(map_url(showtime)).content.decode()
    booking_cancel(booking=booking, by=customer)
    cancelled = client.get(map_url(showtime)).content.decode()

    assert 'aria-label="Seat A1"' in changed and 'aria-label="Seat C6 (taken)"' in changed
    assert "(taken)" not in cancelled


def test_a_cancelled_showtime_shows_its_seats_free_on_the_cached_map_at_once(
    client, showtime, customer, staff
):
    make_booking(user=customer, showtime=showtime, labels=["A1"])
    client.get(map_url(showtime))

    showtime_cancel(showtime=showtime, by=staff)
    html = client.get(map_url(showtime)).content.decode()

    assert "This showtime has been cancelled." in html
    assert "(taken)" not in html


def test_a_refused_booking_shows_the_seats_as_they_are_now(client, showtime, customer, other_customer):
    client.force_login(customer)
    client.get(map_url(showtime))  # cached while B3 was still free
    make_booking(user=other_customer, showtime=showtime, labels=["B3"])

    response = client.post(map_url(showtime), {"seats": seat_ids(showtime, "B3", "B4")})

    html = response.content.decode()
    assert "B3 was just taken" in html
    assert 'aria-label="Seat B3 (taken)"' in checkbox(html, "B3")
    assert "checked" in checkbox(html, "B4")


def test_it_keeps_gaps_where_a_row_has_no_seat(client, showtime):
    showtime.room.seats.filter(row="A", number=3).delete()

    html = client.get(map_url(showtime)).content.decode()

    row_a = re.search(r'aria-label="Row A">(.*?)</div>', html).group(1)
    assert row_a.count('class="seat-gap"') == 1
    assert 'aria-label="Seat A3"' not in html


def test_continue_holds_the_chosen_seats_and_goes_to_checkout(client, customer, showtime):
    client.force_login(customer)

    response = client.post(map_url(showtime), {"seats": seat_ids(showtime, "C5", "C6")})

    hold = Hold.objects.get(user=customer)
    assert response.status_code == 302
    assert response.url == reverse("bookings:checkout", args=[hold.pk])
    assert [held.seat.label for held in hold.seat_list] == ["C5", "C6"]
    assert not Booking.objects.exists()
    page = client.get(response.url).content.decode()
    assert "C5" in page and "C6" in page and "Confirm booking" in page


def test_a_hold_stays_within_its_query_budget(client, customer, showtime, django_assert_num_queries):
    client.force_login(customer)
    data = {"seats": seat_ids(showtime, "A1", "A2")}

    # showtime, session, user; the service: begin (a savepoint here), lock the
    # showtime and bump its seats_version, the customer's earlier holds of it (none),
    # free expired holds' seats, the seats with whether each is sold or held and the
    # customer's seats of it already, hold insert, hold seats insert, commit (a release here)
    with django_assert_num_queries(11):
        response = client.post(map_url(showtime), data)

    assert response.status_code == 302


def test_it_sends_anonymous_visitors_to_log_in_and_back_to_their_choice(client, showtime):
    seat = seat_ids(showtime, "A1")[0]

    response = client.post(map_url(showtime), {"seats": [seat]})

    back = f"{map_url(showtime)}?seats={seat}"
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={quote(back)}"
    assert not Hold.objects.exists()
    assert " checked" in checkbox(client.get(back).content.decode(), "A1")


def test_it_refuses_a_taken_seat_naming_it_and_keeps_the_other_seats_checked(
    client, customer, other_customer, showtime
):
    make_booking(user=other_customer, showtime=showtime, labels=["C5", "C6"])
    client.force_login(customer)

    response = client.post(map_url(showtime), {"seats": seat_ids(showtime, "C4", "C5", "C6")})

    html = response.content.decode()
    assert response.status_code == 200
    assert "C5 and C6 were just taken." in html
    assert " checked" in checkbox(html, "C4")
    assert "disabled" in checkbox(html, "C5") and " checked" not in checkbox(html, "C5")
    assert not Booking.objects.filter(user=customer).exists()


def test_it_refuses_too_many_seats(client, customer, showtime, settings):
    settings.MAX_SEATS_PER_BOOKING = 2
    client.force_login(customer)

    response = client.post(map_url(showtime), {"seats": seat_ids(showtime, "A1", "A2", "A3")})

    html = response.content.decode()
    assert "at most 2 seats" in html
    assert 'data-max-seats="2"' in html
    assert not Booking.objects.exists()


def test_it_refuses_no_seats(client, customer, showtime):
    client.force_login(customer)

    response = client.post(map_url(showtime), {})

    assert "Choose at least one seat." in response.content.decode()


def test_it_refuses_a_showtime_that_has_started(client, customer):
    showtime = ShowtimeFactory(starts_at=timezone.now() - timedelta(minutes=5))
    client.force_login(customer)

    page = client.get(map_url(showtime)).content.decode()
    response = client.post(map_url(showtime), {"seats": seat_ids(showtime, "A1")})

    assert "already started" in page and "Continue" not in page
    assert "already started" in response.content.decode()
    assert not Booking.objects.exists()


@pytest.mark.parametrize("bad", ["abc", "-3", "99999999999999999999999", ""])
def test_it_answers_malformed_seat_ids_with_a_message(client, customer, showtime, bad):
    client.force_login(customer)

    response = client.post(map_url(showtime), {"seats": [bad]})

    assert response.status_code == 200
    assert "Choose" in response.content.decode()
    assert not Booking.objects.exists()


def test_a_second_submit_of_the_same_form_replaces_the_hold(client, customer, showtime):
    client.force_login(customer)
    data = {"seats": seat_ids(showtime, "B1", "B2")}

    first = client.post(map_url(showtime), data)
    again = client.post(map_url(showtime), data)

    active = Hold.objects.active().get(user=customer)
    assert again.url == reverse("bookings:checkout", args=[active.pk]) != first.url
    assert Hold.objects.filter(status=HoldStatus.RELEASED).count() == 1
    assert not Booking.objects.exists()


def test_an_unknown_showtime_is_a_404(client):
    response = client.get(reverse("bookings:seat-map", args=[999999]))

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_customers_share_one_rendered_map_each_with_their_own_name_and_csrf_token(
    showtime, customer, other_customer
):
    other_customer.name = "Otto <b>Other</b>"
    other_customer.save()
    visitors = []
    for user in (customer, other_customer):
        visitor = Client(enforce_csrf_checks=True)
        visitor.force_login(user)
        visitors.append(visitor)

    with mock.patch("bookings.views._render_seat_map", wraps=views._render_seat_map) as render:
        pages = [visitor.get(map_url(showtime)).content.decode() for visitor in visitors]

    assert render.call_count == 1
    assert "Carla Customer" in pages[0] and "Otto" not in pages[0]
    assert "Otto &lt;b&gt;Other&lt;/b&gt;" in pages[1] and "Carla" not in pages[1]
    assert all(views.NAME_PLACEHOLDER not in html and CSRF_PLACEHOLDER not in html for html in pages)
    assert all("My bookings" in html and "log in" not in html for html in pages)
    for visitor, html in zip(visitors, pages, strict=True):
        # Their own token: the seats they choose on it are held for them.
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        answer = visitor.post(
            map_url(showtime),
            {
                "seats": seat_ids(showtime, "A1" if visitor is visitors[0] else "A2"),
                "csrfmiddlewaretoken": token,
            },
        )
        assert answer.status_code == 302 and "/checkout/" in answer["Location"]
    assert Hold.objects.filter(user__in=[customer, other_customer], status=HoldStatus.ACTIVE).count() == 2


def test_a_customer_with_a_hold_or_a_message_waiting_and_staff_get_a_map_of_their_own(
    client, showtime, customer, other_customer, staff
):
    member = Client()
    member.force_login(other_customer)
    member.get(map_url(showtime))  # kept for every customer
    client.force_login(customer)
    client.post(map_url(showtime), {"seats": seat_ids(showtime, "C5")})
    hold = Hold.objects.get(user=customer)

    # Their hold's seats come ticked, with its countdown.
    assert " checked" in checkbox(client.get(map_url(showtime)).content.decode(), "C5")

    # Released: back on the map, which says so.
    released = client.post(reverse("bookings:checkout", args=[hold.pk]), {"action": "release"}, follow=True)
    html = released.content.decode()
    assert released.redirect_chain[-1][0] == map_url(showtime)
    assert "Your seats are released." in html and "Carla Customer" in html
    assert "Your seats are released." not in client.get(map_url(showtime)).content.decode()

    staffer = Client()
    staffer.force_login(staff)
    assert ">Admin<" in staffer.get(map_url(showtime)).content.decode()


def test_a_sold_out_map_shows_each_customer_their_own_place_on_the_waiting_list(
    customer, other_customer, staff
):
    showtime = ShowtimeFactory(room=RoomFactory(rows=1, seats_per_row=2))
    make_booking(user=staff, showtime=showtime, labels=["A1", "A2"])
    waitlist_join(user=customer, showtime=showtime, party_size=1)
    waiting, not_waiting = Client(), Client()
    waiting.force_login(customer)
    not_waiting.force_login(other_customer)

    with mock.patch("bookings.views._render_seat_map", wraps=views._render_seat_map) as render:
        pages = [
            visitor.get(map_url(showtime)).content.decode() for visitor in (not_waiting, waiting, not_waiting)
        ]

    assert render.call_count == 3  # each their own, none kept
    assert "You are number 1 on the waiting list" in pages[1]
    assert all(
        "Join the waiting list" in html and "You are number" not in html for html in (pages[0], pages[2])
    )
