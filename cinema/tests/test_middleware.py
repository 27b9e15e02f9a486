from __future__ import annotations

import json
import logging

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper

from cinema.logging import JSONFormatter

pytestmark = pytest.mark.django_db


def take_the_database_down(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refuse)


def test_a_page_answers_a_friendly_503_when_the_database_is_down(client, staff, monkeypatch):
    client.force_login(staff)  # a session to look up: the admin must reach the database
    take_the_database_down(monkeypatch)

    response = client.get("/admin/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "back in a moment" in response.content.decode()


def test_each_request_is_logged_as_one_json_line_without_secrets(client, caplog):
    with caplog.at_level(logging.INFO, logger="cinema.requests"):
        client.get("/accounts/reset/MQ/set-password-token-123/")

    record = next(r for r in caplog.records if r.name == "cinema.requests")
    line = json.loads(JSONFormatter().format(record))
    assert line["status"] == 404
    assert line["method"] == "GET"
    assert line["path"] == "/accounts/reset/MQ/…/"
    assert "duration_ms" in line and "user_id" in line
    assert "token" not in json.dumps(line)


def test_the_log_line_names_the_user_of_a_token(customer, caplog):
    from cinema.tests.clients import api_client

    with caplog.at_level(logging.INFO, logger="cinema.requests"):
        api_client(customer).get("/api/auth/me")

    record = next(r for r in caplog.records if r.name == "cinema.requests")
    assert record.user_id == customer.pk
