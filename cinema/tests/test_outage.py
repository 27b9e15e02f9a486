"""A real database outage against a real gunicorn: 503s while PostgreSQL
refuses the app, and service back without a restart once it accepts it again."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from collections.abc import Iterator

import psycopg
import pytest
from django.db import connection

from bench.server import gunicorn

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

APP_NAME = "cinema-outage-test"


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def admin_connection() -> psycopg.Connection:
    """A connection to the main database (not the test one) to switch the test one off and on."""
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"],
        user=settings["USER"],
        password=settings["PASSWORD"],
        dbname="postgres",
        autocommit=True,
    )


@pytest.fixture
def server() -> Iterator[str]:
    settings = connection.settings_dict
    url = (
        f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:{settings['PORT']}/"
        f"{settings['NAME']}?application_name={APP_NAME}"
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SECRET_KEY": "outage-test-secret-key-long-enough-for-signing",
        "DJANGO_HTTPS": "off",
        "DJANGO_DEBUG": "off",
        "WEB_CONCURRENCY": "2",
    }
    # The benchmark's launcher: the project's gunicorn config, a free port, always stopped.
    with gunicorn(env) as served:
        yield served.url


def test_an_outage_gives_503s_and_the_app_recovers_by_itself(server):
    database = connection.settings_dict["NAME"]
    assert get(f"{server}/healthz") == (200, '{"status": "ok"}')
    assert get(f"{server}/admin/login/")[0] == 200

    with admin_connection() as admin:
        admin.execute(f'REVOKE CONNECT ON DATABASE "{database}" FROM PUBLIC, CURRENT_USER')
        try:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
                [APP_NAME],
            )
            statuses = {get(f"{server}/healthz")[0] for _ in range(4)}
            page_status, page = get(f"{server}/movies/")
            api_status, api_body = get(f"{server}/api/sessions")
        finally:
            admin.execute(f'GRANT CONNECT ON DATABASE "{database}" TO PUBLIC, CURRENT_USER')

    assert statuses == {503}
    assert page_status == 503 and "back in a moment" in page
    assert api_status == 503 and json.loads(api_body)["code"] == "service_unavailable"
    recovered = [get(f"{server}/healthz")[0] for _ in range(4)]
    assert recovered == [200] * 4
    assert get(f"{server}/movies/")[0] == 200
    assert get(f"{server}/api/sessions")[0] == 200
