from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import IntegrityError

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_it_stores_the_email_lower_cased():
    user = User.objects.create_user(email="  Ada@Example.COM ", name="Ada", password=PASSWORD)

    assert user.email == "ada@example.com"


def test_the_database_refuses_an_email_that_differs_only_in_case():
    UserFactory(email="ada@example.com")

    with pytest.raises(IntegrityError):
        # Bypass the manager's normalisation: the constraint is on lower(email).
        User.objects.bulk_create([User(email="ADA@example.com", name="Impostor")])


def test_it_logs_in_by_email_whatever_its_case(rf):
    user = UserFactory(email="ada@example.com")

    assert authenticate(rf.post("/"), username="ADA@Example.com", password=PASSWORD) == user
    assert authenticate(rf.post("/"), username="ada@example.com", password="wrong") is None


def test_createsuperuser_noinput_reads_the_environment(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "Boss@Cinema.local")
    monkeypatch.setenv("DJANGO_SUPERUSER_NAME", "The Boss")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-boss-password")

    call_command("createsuperuser", "--noinput", verbosity=0)

    boss = User.objects.get()
    assert (boss.email, boss.name, boss.is_staff, boss.is_superuser) == (
        "boss@cinema.local",
        "The Boss",
        True,
        True,
    )
    assert boss.check_password("a-long-boss-password")


def test_the_theater_staff_group_exists_with_the_admin_permissions():
    from django.contrib.auth.models import Group

    codenames = set(Group.objects.get(name="Theater staff").permissions.values_list("codename", flat=True))

    assert {"add_movie", "change_showtime", "add_room", "view_booking", "change_booking"} <= codenames
    assert "delete_booking" not in codenames
