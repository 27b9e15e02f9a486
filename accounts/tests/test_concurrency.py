"""Sign-up races on PostgreSQL with real threads, each on its own database connection."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.cache import cache

from accounts.models import User
from accounts.services import AccountError, user_create
from accounts.tests.factories import PASSWORD
from cinema.tests.clients import api_client
from cinema.tests.races import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CLIENTS = 12
SPELLINGS = ["sracer@example.com", "ſracer@example.com", "SRACER@example.com", "ſRACER@EXAMPLE.COM"]


@pytest.fixture(autouse=True)
def _fresh_throttles():
    # The database cache's table outlives a transactional test's flush.
    cache.clear()
    yield
    cache.clear()


def outcome(result: object) -> str:
    if isinstance(result, User):
        return "created"
    if isinstance(result, AccountError):
        return result.code
    return repr(result)


def test_of_concurrent_sign_ups_of_one_email_exactly_one_wins():
    results = race(
        [
            lambda n=n: user_create(email="racer@example.com", name=f"Racer {n}", password=PASSWORD)
            for n in range(CLIENTS)
        ]
    )

    assert Counter(map(outcome, results)) == {"created": 1, "email_taken": CLIENTS - 1}
    assert list(User.objects.values_list("email", flat=True)) == ["racer@example.com"]


def test_of_concurrent_sign_ups_in_lookalike_spellings_exactly_one_wins_and_every_spelling_logs_in():
    results = race(
        [
            lambda n=n: user_create(email=SPELLINGS[n % len(SPELLINGS)], name=f"Racer {n}", password=PASSWORD)
            for n in range(CLIENTS)
        ]
    )

    assert Counter(map(outcome, results)) == {"created": 1, "email_taken": CLIENTS - 1}
    assert list(User.objects.values_list("email", flat=True)) == ["sracer@example.com"]
    for spelling in SPELLINGS:
        response = api_client().post(
            "/api/auth/login", {"email": spelling, "password": PASSWORD}, format="json"
        )
        assert response.status_code == 200, spelling


def test_concurrent_api_registrations_of_lookalikes_answer_one_201_and_clean_400s():
    clients = [api_client() for _ in range(CLIENTS)]

    def register(n: int):
        body = {"email": SPELLINGS[n % len(SPELLINGS)], "password": PASSWORD, "name": f"Racer {n}"}
        return clients[n].post("/api/auth/register", body, format="json")

    responses = race([lambda n=n: register(n) for n in range(CLIENTS)])

    assert sorted(response.status_code for response in responses) == [201] + [400] * (CLIENTS - 1)
    refusals = [response.json() for response in responses if response.status_code == 400]
    assert refusals == [{"email": ["An account with this email already exists."]}] * (CLIENTS - 1)
    assert User.objects.count() == 1
