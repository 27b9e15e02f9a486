"""The OpenAPI schema: it covers the API, and the API keeps to it under fuzzing."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from bookings.tests.factories import make_booking
from cinema.tests.clients import api_client
from cinema.tests.test_api_roles import api_endpoints
from cinema.wsgi import application
from theaters.tests.factories import ShowtimeFactory

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def documented() -> set[tuple[str, str]]:
    paths = api_client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["paths"]
    return {
        (path.lstrip("/").replace("{id}", "<int:pk>").replace("{code}", "<str:code>"), method.upper())
        for path, operations in paths.items()
        for method in operations
    }


def test_the_schema_documents_every_endpoint():
    undocumented = {e for e in api_endpoints() if not e[0].startswith(("api/schema/", "api/docs/"))}

    assert undocumented - documented() == set()


def test_the_schema_lists_the_status_codes_of_api_md():
    paths = api_client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["paths"]

    def codes(path: str, method: str) -> set[str]:
        return set(paths[path][method]["responses"])

    assert codes("/api/bookings", "post") >= {"201", "400", "401", "409"}
    assert codes("/api/bookings/{id}", "delete") >= {"204", "400", "401", "404", "409"}
    assert codes("/api/sessions/{id}", "patch") >= {"200", "400", "401", "403", "404", "409"}
    assert codes("/api/movies/{id}", "delete") >= {"204", "401", "403", "404", "409"}
    assert codes("/api/auth/login", "post") >= {"200", "401", "429"}
    assert codes("/api/auth/register", "post") >= {"201", "400", "429"}


def test_an_unknown_api_path_is_a_json_404():
    response = api_client().post("/api/bookings/not-a-number")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_the_docs_page_loads_its_assets_from_the_site():
    page = api_client().get("/api/docs/").content.decode()

    assert "swagger-ui" in page
    assert "cdn" not in page.lower()
    assert "<script>" not in page  # the CSP allows no inline script


@pytest.fixture
def fuzz_world(customer, staff):
    cache.clear()
    showtime = ShowtimeFactory()
    make_booking(user=customer, showtime=showtime, labels=["A1"])


@pytest.fixture
def wsgi_keeps_the_test_connection():
    # The raw WSGI handler would close the connection the test transaction lives on.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["staff", "customer"])
@schema.parametrize()
@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_to_its_schema(case, persona, request, fuzz_world, wsgi_keeps_the_test_connection):
    user = request.getfixturevalue(persona)
    token = api_client(user)._credentials["HTTP_AUTHORIZATION"]

    case.call_and_validate(headers={"Authorization": token}, checks=CHECKS)
