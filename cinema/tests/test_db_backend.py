"""The per-request health check of a kept PostgreSQL connection costs no round
trip, and still replaces a connection the server has ended."""

from __future__ import annotations

import select
from unittest import mock

import pytest
from django.db import connection

from cinema.tests.test_outage import admin_connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def check_as_a_new_request_does() -> None:
    connection.health_check_done = False
    connection.close_if_health_check_failed()


def test_a_live_connection_is_kept_without_asking_the_server():
    connection.ensure_connection()
    kept = connection.connection

    with mock.patch.object(connection, "is_usable", side_effect=AssertionError("a round trip")):
        check_as_a_new_request_does()

    assert connection.connection is kept


def test_a_connection_the_server_ended_is_replaced_before_the_request_uses_it():
    connection.ensure_connection()
    ended = connection.connection
    with admin_connection() as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [ended.info.backend_pid])
    select.select([ended.fileno()], [], [], 5)  # the server's goodbye arrives

    check_as_a_new_request_does()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        answer = cursor.fetchone()

    assert connection.connection is not ended
    assert answer == (1,)
