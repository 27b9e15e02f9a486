"""Credential stuffing and account probing on the pages: the login lockout per
email (django-axes), unlocking in the admin, and a password reset that tells
nothing about which emails have accounts. The API's limits are in
accounts/tests/test_api_auth.py."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse

from accounts.tests.factories import PASSWORD
from cinema.tests.clients import api_client
from cinema.tests.pages import page_without_csrf

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def log_in(client: Client, email: str, password: str):
    return client.post(LOGIN, {"username": email, "password": password})


def test_the_attempt_after_the_limit_is_refused_even_with_the_right_password(client, customer, settings):
    failures = [
        log_in(client, customer.email, "wrong").status_code for _ in range(settings.LOGIN_FAILURE_LIMIT)
    ]

    response = log_in(client, customer.email, PASSWORD)

    # The failure that reaches the limit already answers with the lockout page.
    assert failures == [200] * (settings.LOGIN_FAILURE_LIMIT - 1) + [429]

    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed log-ins" in html
    assert f"after {settings.LOGIN_FAILURE_LIMIT} failed attempts" in html
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_per_email_whatever_its_case_or_spacing(client, customer, settings):
    spellings = ["CARLA@example.com", "carla@EXAMPLE.COM", " Carla@Example.com ", "cArLa@example.com"]
    for attempt in range(settings.LOGIN_FAILURE_LIMIT):
        log_in(client, spellings[attempt % len(spellings)], "wrong")

    assert log_in(Client(), customer.email, PASSWORD).status_code == 429
    assert (
        api_client()
        .post("/api/auth/login", {"email": customer.email, "password": PASSWORD}, format="json")
        .status_code
        == 429
    )


def test_one_email_locked_out_does_not_lock_out_another(client, customer, other_customer, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        log_in(client, customer.email, "wrong")

    assert log_in(Client(), other_customer.email, PASSWORD).status_code == 302


def test_staff_unlock_an_email_in_the_admin(client, customer, staff, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        log_in(client, customer.email, "wrong")
    attempt = AccessAttempt.objects.get(username=customer.email)
    admin = Client()
    admin.force_login(staff)

    listing = admin.get(reverse("admin:axes_accessattempt_changelist"), {"locked_out": "yes"})
    confirm = admin.get(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]))
    deleted = admin.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})

    assert listing.status_code == 200 and customer.email in listing.content.decode()
    assert confirm.status_code == 200
    assert deleted.status_code == 302
    assert not AccessAttempt.objects.filter(username=customer.email).exists()
    assert log_in(Client(), customer.email, PASSWORD).status_code == 302


def test_customers_cannot_reach_the_lockout_records(client, customer):
    client.force_login(customer)

    response = client.get(reverse("admin:axes_accessattempt_changelist"))

    assert response.status_code == 403
    assert "for the theater's staff only" in response.content.decode()


@pytest.mark.parametrize("email", ["carla@example.com", "nobody@example.com"])
def test_a_password_reset_answers_the_same_whether_or_not_the_email_has_an_account(client, customer, email):
    form = client.get(reverse("accounts:password_reset"))
    with TestCase.captureOnCommitCallbacks(execute=True):  # the mail is queued on commit
        response = client.post(reverse("accounts:password_reset"), {"email": email}, follow=True)

    assert form.status_code == 200
    assert response.redirect_chain == [(reverse("accounts:password_reset_done"), 302)]
    assert response.status_code == 200
    assert "If an account uses that address" in response.content.decode()
    assert len(mail.outbox) == (1 if email == customer.email else 0)


def test_the_two_password_reset_answers_are_identical(client, customer):
    known = client.post(reverse("accounts:password_reset"), {"email": customer.email}, follow=True)
    unknown = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"}, follow=True)

    assert known.redirect_chain == unknown.redirect_chain
    assert page_without_csrf(known) == page_without_csrf(unknown)
