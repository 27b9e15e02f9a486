"""A new password ends every API token issued before it (API.md "Box office →
Bookings"); a refresh for a deleted user is a 401."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.core.cache import cache
from django.test import Client, TestCase
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import PASSWORD
from cinema.tests.clients import api_client

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-fresh-tangerine-42"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()


def tokens_of(email: str, password: str = PASSWORD) -> dict:
    response = api_client().post("/api/auth/login", {"email": email, "password": password}, format="json")
    assert response.status_code == 200
    return response.json()


def me(access: str):
    return api_client().get("/api/auth/me", HTTP_AUTHORIZATION=f"Bearer {access}")


def refresh(token: str):
    return api_client().post("/api/auth/refresh", {"refresh": token}, format="json")


def assert_ended(tokens: dict) -> None:
    refreshed, used = refresh(tokens["refresh"]), me(tokens["access"])
    assert refreshed.status_code == 401 and "detail" in refreshed.json()
    assert used.status_code == 401 and "detail" in used.json()


def change_password_on_the_page(client: Client) -> None:
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302


def test_changing_the_password_on_the_page_ends_the_tokens_issued_before(customer, client):
    before, rotated = tokens_of(customer.email), tokens_of(customer.email)
    rotated = refresh(rotated["refresh"]).json()  # a token from a refresh carries the same generation
    client.force_login(customer)

    change_password_on_the_page(client)

    assert_ended(before)
    assert_ended(rotated)
    after = tokens_of(customer.email, NEW_PASSWORD)
    assert me(after["access"]).json()["email"] == customer.email
    assert refresh(after["refresh"]).status_code == 200


def test_changing_the_password_logs_out_other_page_sessions_but_not_this_one(customer, client):
    elsewhere = Client()
    elsewhere.force_login(customer)
    client.force_login(customer)

    change_password_on_the_page(client)

    assert "_auth_user_id" in client.session
    assert client.get(reverse("accounts:password_change")).status_code == 200
    assert elsewhere.get(reverse("accounts:password_change")).url.startswith(reverse("accounts:login"))


def test_resetting_the_password_by_email_ends_the_tokens_issued_before(customer, client):
    before = tokens_of(customer.email)

    with TestCase.captureOnCommitCallbacks(execute=True):  # the mail is queued on commit
        client.post(reverse("accounts:password_reset"), {"email": customer.email})
    link = re.search(r"http://testserver(/accounts/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert done.url == reverse("accounts:password_reset_complete")
    assert_ended(before)
    assert me(tokens_of(customer.email, NEW_PASSWORD)["access"]).status_code == 200


def test_a_password_set_in_the_admin_ends_the_tokens_issued_before(customer, staff, client):
    before = tokens_of(customer.email)
    client.force_login(staff)

    response = client.post(
        reverse("admin:auth_user_password_change", args=[customer.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert_ended(before)


def test_disabling_password_log_in_in_the_admin_ends_the_tokens_issued_before(customer, staff, client):
    before = tokens_of(customer.email)
    client.force_login(staff)

    client.post(
        reverse("admin:auth_user_password_change", args=[customer.pk]),
        {"usable_password": "false", "unset-password": "Disable password-based authentication"},
    )

    assert not User.objects.get(pk=customer.pk).has_usable_password()
    assert_ended(before)


def test_another_users_tokens_keep_working(customer, other_customer, client):
    theirs = tokens_of(other_customer.email)
    client.force_login(customer)

    change_password_on_the_page(client)

    assert me(theirs["access"]).status_code == 200
    assert refresh(theirs["refresh"]).status_code == 200


def test_a_log_in_that_upgrades_the_password_hash_ends_no_token(customer, settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    User.objects.filter(pk=customer.pk).update(password=make_password(PASSWORD, hasher="pbkdf2_sha256"))
    generation = User.objects.get(pk=customer.pk).token_generation

    upgraded = tokens_of(customer.email)  # this log-in rehashes the password with MD5

    stored = User.objects.get(pk=customer.pk)
    assert stored.password.startswith("md5$")
    assert stored.token_generation == generation
    assert me(upgraded["access"]).status_code == 200
    assert refresh(upgraded["refresh"]).status_code == 200


def test_refreshing_a_token_of_a_deleted_user_is_a_401(customer):
    tokens = tokens_of(customer.email)
    customer.delete()

    response = refresh(tokens["refresh"])

    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"
    assert me(tokens["access"]).status_code == 401
