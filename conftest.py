"""Shared test set-up: fast hashing, plain static files, personas, and the
PostgreSQL/browser gates (DESIGN.md "Set-up, tests, CI")."""

from __future__ import annotations

import os
import shutil

import pytest
from django.conf import settings
from django.db import connection
from django.test.signals import setting_changed
from django.utils import translation

CHROMIUM = "/usr/bin/chromium"


def pytest_configure(config: pytest.Config) -> None:
    # Production keeps Argon2; tests log in hundreds of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tasks run at once, in the test's process (tests of the worker and of retries
    # choose the database backend themselves).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # The tasks were declared (and their backend read) when Django loaded the apps.
    setting_changed.send(sender=None, setting="TASKS", value=settings.TASKS, enter=True)
    # The manifest storage needs collectstatic; tests serve from the finders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _required(variable: str) -> bool:
    return os.environ.get(variable) == "1"


@pytest.fixture(autouse=True)
def _postgres_gate(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        reason = f"needs PostgreSQL; the tests run on {connection.vendor}"
        if _required("REQUIRE_POSTGRES"):
            pytest.fail(f"REQUIRE_POSTGRES=1 but this test {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not shutil.which(CHROMIUM):
        reason = f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
        if _required("REQUIRE_BROWSER"):
            pytest.fail(f"REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    # A request leaves its language active in the thread: later tests expect the default.
    yield
    translation.deactivate()


@pytest.fixture
def customer(db):
    from accounts.tests.factories import UserFactory

    return UserFactory(email="carla@example.com", name="Carla Customer")


@pytest.fixture
def other_customer(db):
    from accounts.tests.factories import UserFactory

    return UserFactory(email="oscar@example.com", name="Oscar Other")


@pytest.fixture
def staff(db):
    from accounts.tests.factories import StaffFactory

    return StaffFactory(email="stella@example.com", name="Stella Staff")


@pytest.fixture
def theater_staff(db):
    """A staff member as the theater hires one: staff status, no superuser, only the
    "Theater staff" group (made by a migration) for permissions."""
    from django.contrib.auth.models import Group

    from accounts.tests.factories import UserFactory

    member = UserFactory(email="terry@example.com", name="Terry Theater", is_staff=True)
    member.groups.add(Group.objects.get(name="Theater staff"))
    return member


@pytest.fixture(autouse=True)
def _standard_price_list(request):
    """Transactional tests start from a flushed database: put back what migration
    pricing/0002 makes (Adult and the other standard ticket types, the Standard card)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction", marker.args[0] if marker.args else False):
        return
    request.getfixturevalue("transactional_db")
    from pricing.tests.factories import standard_ticket_types

    standard_ticket_types()


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1 that the site's mail goes to (EMAIL_URL's smtp backend)."""
    from cinema.tests.smtp import SMTPServer

    with SMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 5
        yield server


@pytest.fixture
def migrate(transactional_db):
    """`migrate(targets)` runs the migrations to `targets` and returns their apps; the
    database goes back to the latest state afterwards, as the other tests expect it."""
    from django.db.migrations.executor import MigrationExecutor

    def to(targets):
        executor = MigrationExecutor(connection)
        executor.migrate(targets)
        return executor.loader.project_state(targets).apps

    yield to
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path_factory) -> None:
    """Uploaded pictures (posters, their renditions) never land in the checkout."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
