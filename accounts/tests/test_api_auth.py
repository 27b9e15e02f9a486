from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache

from accounts.models import User
from accounts.tests.factories import PASSWORD
from cinema.tests.clients import api_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttles():
    # Throttle counters live in the shared cache, which outlives a test's transaction.
    cache.clear()


def login(email: str, password: str = PASSWORD, **extra):
    return api_client().post(
        "/api/auth/login", {"email": email, "password": password}, format="json", **extra
    )


def test_it_registers_an_account_with_a_lower_cased_email():
    response = api_client().post(
        "/api/auth/register",
        {"email": "New.Person@Example.com", "password": PASSWORD, "name": "New Person"},
        format="json",
    )

    assert response.status_code == 201
    user = User.objects.get()
    assert response.json() == {"id": user.pk, "email": "new.person@example.com", "name": "New Person"}
    assert user.check_password(PASSWORD)


def test_it_refuses_an_email_already_taken_whatever_its_case(customer):
    response = api_client().post(
        "/api/auth/register", {"email": "CARLA@example.com", "password": PASSWORD, "name": "C"}, format="json"
    )

    assert response.status_code == 400
    assert "email" in response.json()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "not-an-email", "password": PASSWORD, "name": "A"}, "email"),
        ({"email": "a@example.com", "password": "123", "name": "A"}, "password"),
        ({"email": "a@example.com", "password": "password", "name": "A"}, "password"),
        ({"email": "a@example.com", "password": PASSWORD}, "name"),
    ],
)
def test_it_refuses_invalid_registrations_field_by_field(body, field):
    response = api_client().post("/api/auth/register", body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not User.objects.exists()


def test_it_throttles_registrations_per_client_address():
    limit = int(settings.REGISTER_RATE.split("/")[0])
    client = api_client()
    for _ in range(limit):
        assert client.post("/api/auth/register", {}, format="json").status_code == 400

    throttled = client.post("/api/auth/register", {}, format="json")
    from_elsewhere = client.post("/api/auth/register", {}, format="json", REMOTE_ADDR="10.9.9.9")

    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) > 0
    assert from_elsewhere.status_code == 400


def test_it_logs_in_with_the_email_in_any_case(customer):
    response = login("Carla@Example.COM")

    assert response.status_code == 200
    assert set(response.json()) == {"access", "refresh"}
    me = api_client().get("/api/auth/me", HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")
    assert me.json()["email"] == "carla@example.com"


@pytest.mark.parametrize("email", ["carla@example.com", "nobody@example.com"])
def test_it_refuses_wrong_credentials_with_401(customer, email):
    response = login(email, "wrong-password")

    assert response.status_code == 401
    assert "detail" in response.json()


def test_it_locks_an_email_out_after_the_failure_limit(customer, other_customer):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        assert login("carla@example.com", "wrong-password").status_code == 401

    locked = login("carla@example.com")  # even the right password

    assert locked.status_code == 429
    assert locked["Content-Type"] == "application/json"
    assert int(locked["Retry-After"]) == 15 * 60
    assert login("oscar@example.com").status_code == 200  # only that email is locked


def test_a_successful_login_resets_the_failure_count(customer):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        login("carla@example.com", "wrong-password")
    assert login("carla@example.com").status_code == 200

    assert login("carla@example.com", "wrong-password").status_code == 401


def test_it_refuses_a_login_without_a_password_with_400():
    assert api_client().post("/api/auth/login", {"email": "a@example.com"}, format="json").status_code == 400


def test_refresh_rotates_and_the_old_refresh_token_stops_working(customer):
    tokens = login("carla@example.com").json()

    refreshed = api_client().post("/api/auth/refresh", {"refresh": tokens["refresh"]}, format="json")
    again = api_client().post("/api/auth/refresh", {"refresh": tokens["refresh"]}, format="json")

    assert refreshed.status_code == 200
    assert set(refreshed.json()) == {"access", "refresh"}
    assert refreshed.json()["refresh"] != tokens["refresh"]
    assert again.status_code == 401


@pytest.mark.parametrize("token", ["garbage", "a" * 500])
def test_refresh_refuses_a_bad_token_with_401(token):
    assert api_client().post("/api/auth/refresh", {"refresh": token}, format="json").status_code == 401


def test_logout_ends_the_refresh_token(customer):
    tokens = login("carla@example.com").json()

    response = api_client(customer).post("/api/auth/logout", {"refresh": tokens["refresh"]}, format="json")

    assert response.status_code == 204
    assert (
        api_client().post("/api/auth/refresh", {"refresh": tokens["refresh"]}, format="json").status_code
        == 401
    )


def test_logout_refuses_a_bad_token_with_400(customer):
    response = api_client(customer).post("/api/auth/logout", {"refresh": "garbage"}, format="json")

    assert response.status_code == 400
    assert "refresh" in response.json()


def test_logout_refuses_someone_elses_refresh_token(customer, other_customer):
    their_refresh = login("oscar@example.com").json()["refresh"]

    response = api_client(customer).post("/api/auth/logout", {"refresh": their_refresh}, format="json")

    assert response.status_code == 400
    assert (
        api_client().post("/api/auth/refresh", {"refresh": their_refresh}, format="json").status_code == 200
    )


def test_me_shows_the_account(staff):
    response = api_client(staff).get("/api/auth/me")

    assert response.status_code == 200
    assert response.json() == {"id": staff.pk, "email": staff.email, "name": staff.name, "is_staff": True}


def test_me_needs_a_token():
    assert api_client().get("/api/auth/me").status_code == 401
    assert api_client().get("/api/auth/me", HTTP_AUTHORIZATION="Bearer nonsense").status_code == 401
