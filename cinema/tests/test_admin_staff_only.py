"""The admin is for staff: a logged-in customer opening any admin page gets a 403
page that says so (with a way home), not the admin's login form, which read as if
logging in again would help. Visitors who are not logged in still get the login."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.urls import reverse

from bookings.models import Booking, BookingStatus
from bookings.tests.factories import make_booking
from theaters.tests.factories import ShowtimeFactory

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "/admin/",
    "/admin/login/",
    "/admin/bookings/booking/",
    "/admin/movies/movie/add/",
    "/admin/no-such-page/",
    "/admin/insights/",
    "/admin/insights/export.csv",
]
STAFF_ONLY = "The admin is for the theater's staff only."


def as_customer(customer) -> Client:
    client = Client()
    client.force_login(customer)
    return client


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_a_customer_gets_a_403_page_saying_the_admin_is_for_staff(customer, path):
    response = as_customer(customer).get(path)

    html = response.content.decode()
    assert response.status_code == 403
    assert STAFF_ONLY in html
    assert 'href="/"' in html
    assert 'name="password"' not in html


def test_the_403_page_carries_the_security_headers(customer):
    response = as_customer(customer).get("/admin/")

    assert response.status_code == 403
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_a_customers_post_to_the_admin_changes_nothing(customer):
    booking = make_booking(user=customer, showtime=ShowtimeFactory(), labels=["A1"])

    response = as_customer(customer).post(
        reverse("admin:bookings_booking_changelist"),
        {"action": "cancel_bookings", "_selected_action": [booking.pk]},
    )

    assert response.status_code == 403
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED


@pytest.mark.parametrize("path", ["/admin/", "/admin/bookings/booking/", "/admin/insights/"])
def test_an_anonymous_visitor_still_gets_the_admin_login(db, path):
    response = Client().get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/admin/login/?next={path}"


def test_the_admin_login_form_is_still_shown_to_anonymous_visitors(db):
    response = Client().get("/admin/login/")

    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()


def test_staff_still_open_the_admin(staff):
    client = Client()
    client.force_login(staff)

    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/login/")["Location"] == "/admin/"


def test_a_403_elsewhere_keeps_the_general_page(customer, staff):
    # Staff refused something inside the admin (bookings are never added) are not told it is for staff.
    client = Client()
    client.force_login(staff)

    response = client.get(reverse("admin:bookings_booking_add"))

    assert response.status_code == 403
    assert STAFF_ONLY not in response.content.decode()


def test_a_database_outage_in_the_admin_is_still_the_friendly_503(customer, monkeypatch):
    # The guard looks the user up before any view: the outage must not become a 500 there.
    client = as_customer(customer)

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refuse)

    response = client.get("/admin/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
