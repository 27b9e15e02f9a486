"""Production settings as deployed: `check --deploy` is clean, old password
hashes move to Argon2 on login, and the logs never carry a secret."""

from __future__ import annotations

import logging
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.test import Client

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory
from cinema.logging import JSONFormatter
from cinema.tests.clients import api_client


def test_check_deploy_reports_nothing_with_production_settings():
    # The test run's own async switch is not part of a deployment.
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {
        "DJANGO_DEBUG": "off",
        "DJANGO_HTTPS": "on",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "cinema.example.com",
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    # The one silenced check is axes.W006: lockouts are per email, by design (settings.py).
    assert result.stdout.strip() == "System check identified no issues (1 silenced)."


@pytest.mark.django_db
def test_a_pbkdf2_hash_is_upgraded_to_argon2_by_a_real_login(settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    user = UserFactory(email="old@example.com")
    User.objects.filter(pk=user.pk).update(password=make_password(PASSWORD, hasher="pbkdf2_sha256"))

    response = Client().post("/accounts/login/", {"username": "old@example.com", "password": PASSWORD})

    user.refresh_from_db()
    assert response.status_code == 302
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(PASSWORD)


SECRETS = {
    "password": PASSWORD,
    "new password": "a-fresh-tangerine-42",
}


@pytest.mark.django_db
def test_the_logs_never_carry_a_password_or_a_token(customer, caplog, monkeypatch):
    from accounts.api import serializers

    client = api_client()
    client.raise_request_exception = False
    with caplog.at_level(logging.DEBUG):
        Client().post("/accounts/login/", {"username": customer.email, "password": PASSWORD})
        Client().post("/accounts/login/", {"username": customer.email, "password": "a-fresh-tangerine-42"})
        client.post(
            "/api/auth/register",
            {"email": "n@example.com", "name": "N", "password": "a-fresh-tangerine-42"},
            format="json",
        )
        tokens = client.post(
            "/api/auth/login", {"email": customer.email, "password": PASSWORD}, format="json"
        ).json()
        refreshed = client.post("/api/auth/refresh", {"refresh": tokens["refresh"]}, format="json").json()
        api_client(customer).get("/api/auth/me", HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")

        def crash(self, attrs):
            raise RuntimeError("the login broke")

        monkeypatch.setattr(serializers.LoginSerializer, "validate", crash)
        crashed = client.post(
            "/api/auth/login", {"email": customer.email, "password": PASSWORD}, format="json"
        )

    lines = "\n".join(JSONFormatter().format(record) for record in caplog.records)
    assert crashed.status_code == 500
    assert "Traceback" in lines and "the login broke" in lines  # the 500 was logged, with its traceback
    leaked = {
        name: value
        for name, value in {
            **SECRETS,
            "access token": tokens["access"],
            "refresh token": tokens["refresh"],
            "rotated refresh token": refreshed["refresh"],
            "token signature": tokens["access"].rsplit(".", 1)[1],
        }.items()
        if value in lines
    }
    assert leaked == {}
    assert "Bearer" not in lines and "Authorization" not in lines.replace("AuthorizationError", "")
