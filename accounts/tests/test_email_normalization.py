"""One spelling of each email (NFKC, casefold, ASCII look-alikes) for storage,
log-in by page and API, uniqueness, the lockout count and the password reset."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.cache import cache
from django.test import Client, TestCase
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from accounts.models import User
from accounts.services import AccountError, user_create
from accounts.tests.factories import PASSWORD, UserFactory
from cinema.tests.clients import api_client

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")

# Django's email validator accepts each of these (Python's re folds ı, İ, ſ and
# the Kelvin sign into [a-z]); each must be one login with the plain spelling.
LOOKALIKES = {
    "sissi@example.com": ["sıssi@example.com", "SİSSİ@example.com", "SISSI@EXAMPLE.COM"],
    "sracer@example.com": ["ſracer@example.com", "ſRACER@example.com"],
    "kate@example.com": ["\u212aate@example.com"],  # K, the Kelvin sign
    "zoe@exämple.com": [" ZOE@EXÄMPLE.COM "],
}
PAIRS = [(plain, spelling) for plain, spellings in LOOKALIKES.items() for spelling in spellings]
# Refused by the validator at sign-up, but a login or reset may still send them.
UNVALIDATED = [
    ("strasse@example.com", "straße@example.com"),
    ("ada@example.com", "\uff41da@example.com"),  # a full-width a
]


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()


def api_login(email: str, password: str = PASSWORD):
    return api_client().post("/api/auth/login", {"email": email, "password": password}, format="json")


@pytest.mark.parametrize(("plain", "spelling"), PAIRS + UNVALIDATED)
def test_it_normalizes_every_lookalike_spelling_to_the_plain_one(plain, spelling):
    assert User.objects.normalize_email(spelling) == plain


@hypothesis_settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text())
def test_normalizing_twice_changes_nothing(text):
    once = User.objects.normalize_email(text)

    # The API hands the login form's normalized email to the lockout, which normalizes again.
    assert User.objects.normalize_email(once) == once


@pytest.mark.parametrize(("plain", "spelling"), PAIRS)
def test_it_stores_the_plain_spelling(plain, spelling):
    user = user_create(email=spelling, name="Lookalike", password=PASSWORD)

    assert User.objects.get().email == plain == user.email


@pytest.mark.parametrize(("plain", "spelling"), PAIRS)
def test_it_refuses_a_lookalike_of_a_taken_email(plain, spelling):
    UserFactory(email=plain)

    with pytest.raises(AccountError) as refused:
        user_create(email=spelling, name="Impostor", password=PASSWORD)

    assert (refused.value.code, refused.value.field) == ("email_taken", "email")
    assert User.objects.count() == 1


@pytest.mark.parametrize(("plain", "spelling"), PAIRS)
def test_a_lookalike_spelling_logs_in_to_the_one_account_on_the_page_and_the_api(plain, spelling):
    user = UserFactory(email=plain)
    page = Client()

    response = page.post(LOGIN, {"username": spelling, "password": PASSWORD})
    tokens = api_login(spelling).json()

    assert response.status_code == 302 and page.session["_auth_user_id"] == str(user.pk)
    me = api_client().get("/api/auth/me", HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    assert me.json()["email"] == plain


def test_lookalike_spellings_share_one_lockout_count(settings):
    UserFactory(email="sissi@example.com")
    limit = settings.LOGIN_FAILURE_LIMIT
    spellings = ["sissi@example.com", "sıssi@example.com", "SİSSİ@example.com", "SIſſı@example.com"]

    for attempt in range(limit):
        spelling = spellings[attempt % len(spellings)]
        if attempt % 2:
            api_login(spelling, "wrong")
        else:
            Client().post(LOGIN, {"username": spelling, "password": "wrong"})

    attempts = AccessAttempt.objects.values_list("username", "failures_since_start")
    assert list(attempts) == [("sissi@example.com", limit)]
    for spelling in spellings:
        assert Client().post(LOGIN, {"username": spelling, "password": PASSWORD}).status_code == 429
        assert api_login(spelling).status_code == 429


def test_a_password_reset_for_a_lookalike_spelling_mails_the_account(client):
    UserFactory(email="sissi@example.com")

    with TestCase.captureOnCommitCallbacks(execute=True):  # the mail is queued on commit
        client.post(reverse("accounts:password_reset"), {"email": "SIſſı@example.com"})

    assert [message.to for message in mail.outbox] == [["sissi@example.com"]]
