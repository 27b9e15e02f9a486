"""The client address (cinema/client_address.py) that the register limit and the
login lockout count by, and the sign-up limit the page and the API share."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import PASSWORD
from cinema.client_address import client_address
from cinema.tests.clients import api_client

pytestmark = pytest.mark.django_db

SIGNUP = reverse("accounts:signup")
GOOD_PASSWORD = "a-fresh-tangerine-42"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()


@pytest.fixture
def limit(settings) -> int:
    settings.REGISTER_RATE = "3/hour"
    return 3


def request_from(remote: str, forwarded: str | None = None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


@pytest.mark.parametrize(
    ("hops", "forwarded", "expected"),
    [
        (0, None, "10.0.0.9"),
        (0, "203.0.113.7", "10.0.0.9"),  # nothing trusted: the header is the client's own words
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "1.1.1.1, 203.0.113.7", "203.0.113.7"),  # what the client wrote comes first
        (2, "1.1.1.1, 203.0.113.7, 198.51.100.2", "203.0.113.7"),
        (2, "203.0.113.7", "10.0.0.9"),  # fewer hops than trusted: not through every proxy
        (1, "", "10.0.0.9"),
        (1, "not-an-address", "10.0.0.9"),
        (1, "1.1.1.1, 2001:DB8::1 ", "2001:db8::1"),
    ],
)
def test_it_takes_the_address_the_trusted_proxies_saw(settings, hops, forwarded, expected):
    settings.TRUSTED_PROXIES = hops

    assert client_address(request_from("10.0.0.9", forwarded)) == expected


def test_rotating_x_forwarded_for_does_not_escape_the_register_limit(limit):
    client = api_client()
    statuses = [
        client.post(
            "/api/auth/register", {}, format="json", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        ).status_code
        for n in range(limit + 2)
    ]

    assert statuses == [400] * limit + [429, 429]


def test_behind_one_trusted_proxy_each_forwarded_client_has_its_own_limit(limit, settings):
    settings.TRUSTED_PROXIES = 1
    client = api_client()
    for _ in range(limit):
        client.post("/api/auth/register", {}, format="json", HTTP_X_FORWARDED_FOR="198.51.100.1")

    same = client.post("/api/auth/register", {}, format="json", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.1")
    other = client.post("/api/auth/register", {}, format="json", HTTP_X_FORWARDED_FOR="198.51.100.2")

    assert (same.status_code, other.status_code) == (429, 400)


def signup_body(n: int) -> dict:
    return {
        "email": f"new{n}@example.com",
        "name": "New",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
    }


def test_page_sign_ups_count_against_the_apis_register_limit(limit):
    for n in range(limit - 1):
        assert Client().post(SIGNUP, signup_body(n)).status_code == 302

    last = api_client().post(
        "/api/auth/register", {"email": "api@example.com", "password": PASSWORD, "name": "A"}, format="json"
    )
    over = api_client().post(
        "/api/auth/register", {"email": "late@example.com", "password": PASSWORD, "name": "L"}, format="json"
    )

    assert (last.status_code, over.status_code) == (201, 429)
    assert User.objects.count() == limit


def test_over_the_limit_the_sign_up_page_refuses_with_a_friendly_error(limit):
    api = api_client()
    for _ in range(limit):
        api.post("/api/auth/register", {}, format="json")

    response = Client().post(SIGNUP, signup_body(1), HTTP_X_FORWARDED_FOR="198.51.100.1")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Too many sign-ups from your network. Please try again in 60 min." in html
    assert 'value="new1@example.com"' in html  # the form is kept for later
    assert not User.objects.exists()


def test_a_sign_up_page_visit_is_not_a_sign_up(limit):
    for _ in range(limit + 1):
        Client().get(SIGNUP)

    assert Client().post(SIGNUP, signup_body(1)).status_code == 302


def test_the_lockout_records_the_address_the_trusted_proxy_saw(customer, settings):
    settings.TRUSTED_PROXIES = 1
    login = reverse("accounts:login")

    Client().post(
        login, {"username": customer.email, "password": "wrong"}, HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    settings.TRUSTED_PROXIES = 0
    Client().post(
        login, {"username": "oscar@example.com", "password": "wrong"}, HTTP_X_FORWARDED_FOR="6.6.6.6"
    )

    assert dict(AccessAttempt.objects.values_list("username", "ip_address")) == {
        customer.email: "203.0.113.7",
        "oscar@example.com": "127.0.0.1",
    }
