"""user_create: the one sign-up path of the page, the API and the admin."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from accounts import services
from accounts.models import User
from accounts.services import AccountError, user_create
from accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_it_creates_an_account_with_the_normalized_email_and_a_hashed_password():
    user = user_create(email=" Nina@Example.COM ", name="Nina New", password=PASSWORD)

    stored = User.objects.get()
    assert stored == user
    assert (stored.email, stored.name, stored.is_staff, stored.is_superuser) == (
        "nina@example.com",
        "Nina New",
        False,
        False,
    )
    assert stored.password != PASSWORD and stored.check_password(PASSWORD)


def test_it_creates_staff_when_asked():
    assert user_create(email="s@example.com", name="S", password=PASSWORD, is_staff=True).is_staff


def test_without_a_password_the_account_cannot_log_in_with_one():
    user = user_create(email="sso@example.com", name="SSO", password=None)

    assert not User.objects.get(pk=user.pk).has_usable_password()


def test_it_refuses_a_taken_email_as_a_field_error_and_adds_nothing(customer):
    with pytest.raises(AccountError) as refused:
        user_create(email="CARLA@example.com", name="Carla Two", password=PASSWORD)

    assert (refused.value.code, refused.value.field, refused.value.is_conflict) == (
        "email_taken",
        "email",
        False,
    )
    assert "already exists" in refused.value.message
    assert list(User.objects.values_list("name", flat=True)) == ["Carla Customer"]


def test_an_email_taken_after_the_sign_up_began_is_refused_too(monkeypatch):
    def taken_meanwhile(email: str) -> None:
        # As in a race: another sign-up's row lands after this one's checks, before its insert.
        User.objects.bulk_create([User(email="sracer@example.com", name="Winner")])

    monkeypatch.setattr(services, "validate_email", taken_meanwhile)

    with pytest.raises(AccountError, match="already exists"):
        user_create(email="ſracer@example.com", name="Loser", password=PASSWORD)

    assert list(User.objects.values_list("name", flat=True)) == ["Winner"]


def test_it_lets_another_integrity_error_through(monkeypatch):
    def broken_create(**fields):
        raise IntegrityError("some other constraint")

    monkeypatch.setattr(User.objects, "create_user", broken_create)

    with pytest.raises(IntegrityError, match="some other constraint"):
        user_create(email="new@example.com", name="New", password=PASSWORD)


def test_it_refuses_an_email_that_normalization_makes_too_long():
    # 133 characters as typed; 257 once each ß of the domain folds to ss.
    email = "a@" + ".".join(["ß" * 31] * 4) + ".com"

    with pytest.raises(AccountError) as refused:
        user_create(email=email, name="Long", password=PASSWORD)

    assert (refused.value.code, refused.value.field) == ("email_invalid", "email")
    assert "at most 254 characters" in refused.value.message
    assert not User.objects.exists()


def test_it_refuses_an_email_that_normalization_makes_invalid():
    # Valid as typed: the two-dot leader (‥) is a letter of a domain label; NFKC makes it "..".
    with pytest.raises(AccountError) as refused:
        user_create(email="a@x\u2025y.com", name="Dots", password=PASSWORD)

    assert (refused.value.code, refused.value.field) == ("email_invalid", "email")
    assert not User.objects.exists()
