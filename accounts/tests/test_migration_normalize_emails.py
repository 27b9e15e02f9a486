"""The data migration that stores every existing email normalized (0002)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.core.management.base import CommandError

from accounts.models import User

pytestmark = pytest.mark.django_db

migration = importlib.import_module("accounts.migrations.0002_normalize_emails")


def raw_users(*emails: str) -> list[User]:
    # bulk_create skips the manager's normalization, as rows written before it did.
    return User.objects.bulk_create([User(email=email, name="Old") for email in emails])


def test_it_normalizes_every_stored_email():
    raw_users("ſracer@example.com", "SİSSİ@example.com", " Ada@Example.COM", "kept@example.com")

    migration.normalize_emails(apps, None)

    assert sorted(User.objects.values_list("email", flat=True)) == [
        "ada@example.com",
        "kept@example.com",
        "sissi@example.com",
        "sracer@example.com",
    ]


def test_it_refuses_to_merge_two_accounts_that_normalize_to_one_and_names_them():
    plain, lookalike, other = raw_users("sracer@example.com", "ſracer@example.com", "ſolo@example.com")

    with pytest.raises(CommandError) as refused:
        migration.normalize_emails(apps, None)

    message = str(refused.value)
    assert "sracer@example.com: " in message
    assert f"id {plain.pk} ('sracer@example.com')" in message
    assert f"id {lookalike.pk} ('ſracer@example.com')" in message
    assert "solo" not in message
    # Nothing was changed, not even the email that had no twin.
    assert User.objects.get(pk=other.pk).email == "ſolo@example.com"


def test_it_refuses_an_email_that_would_grow_past_the_column():
    # ß folds to ss: 200 of them take 400 characters.
    [long] = raw_users("ß" * 200 + "@example.com")

    with pytest.raises(CommandError, match=f"id {long.pk} "):
        migration.normalize_emails(apps, None)

    assert User.objects.get().email == "ß" * 200 + "@example.com"
