from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-fresh-tangerine-42"


def signup_data(**overrides) -> dict:
    data = {
        "email": "Nina@Example.com",
        "name": "Nina New",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    return {**data, **overrides}


def test_signing_up_creates_the_account_and_logs_in(client):
    response = client.post(reverse("accounts:signup"), signup_data())

    user = User.objects.get()
    assert response.status_code == 302 and response.url == reverse("bookings:whats-on")
    assert user.email == "nina@example.com" and user.name == "Nina New"
    assert "Nina New" in client.get(response.url).content.decode()


def test_signing_up_goes_back_to_a_safe_next_only(client):
    back = client.post(reverse("accounts:signup") + "?next=/showtimes/7/", signup_data())
    client.post(reverse("accounts:logout"))
    away = client.post(
        reverse("accounts:signup"), {**signup_data(email="x@example.com"), "next": "https://evil.example/"}
    )

    assert back.url == "/showtimes/7/"
    assert away.url == reverse("bookings:whats-on")


def test_signing_up_refuses_a_taken_email_whatever_its_case(client, customer):
    response = client.post(reverse("accounts:signup"), signup_data(email="CARLA@example.com"))

    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert User.objects.count() == 1


def test_signing_up_refuses_a_lookalike_of_a_taken_email_under_the_email_field(client):
    UserFactory(email="sissi@example.com", name="Sissi")

    response = client.post(reverse("accounts:signup"), signup_data(email="SIſſı@example.com"))

    assert response.status_code == 200
    assert response.context["form"].errors == {"email": ["An account with this email already exists."]}
    assert list(User.objects.values_list("name", flat=True)) == ["Sissi"]
    assert "_auth_user_id" not in client.session


def test_signing_up_applies_the_password_validators(client):
    response = client.post(
        reverse("accounts:signup"), signup_data(password1="12345678", password2="12345678")
    )

    html = response.content.decode()
    assert "too common" in html and "entirely numeric" in html
    assert not User.objects.exists()


def test_logging_in_by_email_goes_back_to_next(client, customer):
    response = client.post(
        reverse("accounts:login"), {"username": "Carla@Example.com", "password": PASSWORD, "next": "/movies/"}
    )

    assert response.status_code == 302 and response.url == "/movies/"


def test_logging_out_takes_a_post(client, customer):
    client.force_login(customer)

    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert "Log in" in client.get(reverse("bookings:whats-on")).content.decode()


def test_too_many_failed_logins_lock_the_account_out(client, customer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": customer.email, "password": "wrong"})

    response = client.post(reverse("accounts:login"), {"username": customer.email, "password": PASSWORD})

    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode()


def test_changing_the_password(client, customer):
    client.force_login(customer)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    customer.refresh_from_db()
    assert response.url == reverse("accounts:password_change_done")
    assert customer.check_password(NEW_PASSWORD)


def test_resetting_the_password_by_email(client, customer):
    with TestCase.captureOnCommitCallbacks(execute=True):  # the mail is queued on commit
        response = client.post(reverse("accounts:password_reset"), {"email": "carla@EXAMPLE.com"})

    assert response.url == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    customer.refresh_from_db()
    assert done.url == reverse("accounts:password_reset_complete")
    assert customer.check_password(NEW_PASSWORD)


@pytest.mark.parametrize(
    "name", ["accounts:login", "accounts:signup", "accounts:password_reset", "accounts:password_reset_done"]
)
def test_the_account_pages_have_titles(client, name):
    html = client.get(reverse(name)).content.decode()

    assert re.search(r"<title>[^<]+ · Cinema</title>", html)
