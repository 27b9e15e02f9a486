from __future__ import annotations

import csv
import importlib.util
import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework_simplejwt.tokens import RefreshToken

from bookings.reports import default_report_range
from bookings.tests.report_fixtures import EXPECTED_MOVIE, EXPECTED_WEEKDAY, build_week

URL = "/api/reports/bookings"


@pytest.fixture(autouse=True)
def _drf_exception_handler(settings):
    # settings.py names cinema.api.exception_handler, which the API branch adds;
    # until it lands, DRF's own handler gives the same shapes for these errors.
    if importlib.util.find_spec("cinema.api") is None:
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "EXCEPTION_HANDLER": "rest_framework.views.exception_handler",
        }


@pytest.fixture
def week(customer, other_customer, staff):
    return build_week(customer=customer, other_customer=other_customer, staff=staff)


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {RefreshToken.for_user(user).access_token}"}


def week_query(week, group_by: str) -> dict:
    return {"group_by": group_by, "from": week.monday.isoformat(), "to": week.sunday.isoformat()}


def as_api(expected: tuple) -> dict:
    sessions, bookings, tickets, revenue, _seats, occupancy = expected
    return {
        "sessions": sessions,
        "bookings": bookings,
        "tickets": tickets,
        "revenue": revenue,
        "occupancy": occupancy,
        # The week is ahead: nobody has come yet.
        "checked_in": 0,
        "attendance": 0.0,
        "no_shows": 0,
    }


def test_it_is_routed_by_name():
    assert reverse("api:bookings:report-bookings") == URL


def test_it_answers_401_without_a_token(client, db):
    response = client.get(URL, {"group_by": "weekday"})

    assert response.status_code == 401


def test_it_answers_403_to_a_customer(client, customer):
    response = client.get(URL, {"group_by": "weekday"}, **bearer(customer))

    assert response.status_code == 403


def test_it_reports_by_weekday_for_staff(client, staff, week):
    response = client.get(URL, week_query(week, "weekday"), **bearer(staff))

    assert response.status_code == 200
    body = response.json()
    assert (body["group_by"], body["from"], body["to"]) == ("weekday", str(week.monday), str(week.sunday))
    assert [row["key"] for row in body["results"]] == list(EXPECTED_WEEKDAY)
    assert body["results"][0] == {"key": "monday", "label": "Monday", **as_api(EXPECTED_WEEKDAY["monday"])}
    assert body["results"][1]["revenue"] == "0.00"


def test_it_reports_movies_by_id_with_the_title_as_label(client, staff, week):
    body = client.get(URL, week_query(week, "movie"), **bearer(staff)).json()

    assert body["results"] == [
        {"key": str(week.alpha_id), "label": "Alpha", **as_api(EXPECTED_MOVIE["Alpha"])},
        {"key": str(week.bravo_id), "label": "Bravo", **as_api(EXPECTED_MOVIE["Bravo"])},
    ]


def test_it_works_with_a_session_login_too(client, staff, week):
    client.force_login(staff)

    assert client.get(URL, week_query(week, "time_slot")).status_code == 200


def test_it_defaults_to_the_last_30_days_and_the_next_30(client, staff):
    body = client.get(URL, {"group_by": "time_slot"}, **bearer(staff)).json()

    first, last = default_report_range()
    assert (body["from"], body["to"]) == (str(first), str(last))
    assert [row["key"] for row in body["results"]] == ["morning", "afternoon", "evening", "late"]


def test_an_empty_range_gives_zeroed_rows_not_an_error(client, staff):
    body = client.get(
        URL, {"group_by": "movie", "from": "2020-01-01", "to": "2020-01-01"}, **bearer(staff)
    ).json()

    assert body["results"] == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({}, "group_by"),
        ({"group_by": "room"}, "group_by"),
        ({"group_by": "weekday", "from": "yesterday"}, "from"),
        ({"group_by": "weekday", "to": "2026-13-01"}, "to"),
        ({"group_by": "weekday", "to": "99999-01-01"}, "to"),
        ({"group_by": "weekday", "from": "2026-03-02", "to": "2026-03-01"}, "to"),
    ],
)
def test_it_answers_400_with_field_errors(client, staff, query, field):
    response = client.get(URL, query, **bearer(staff))

    assert response.status_code == 400
    body = response.json()
    assert list(body) == [field]
    assert isinstance(body[field], list) and isinstance(body[field][0], str)


def test_its_openapi_schema_documents_the_query_and_the_answers(db):
    schema = SchemaGenerator().get_schema(request=None, public=True)

    operation = schema["paths"][URL]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert parameters["group_by"]["required"] is True
    assert set(parameters["group_by"]["schema"]["enum"]) == {"weekday", "time_slot", "movie", "ticket_type"}
    assert parameters["from"]["schema"]["format"] == "date"
    assert set(operation["responses"]) >= {"200", "400", "401", "403"}
    report = schema["components"]["schemas"]["BookingReport"]
    assert set(report["properties"]) == {"group_by", "from", "to", "results"}
    row = schema["components"]["schemas"]["ReportRow"]
    assert set(row["properties"]) == {
        "key",
        "label",
        "sessions",
        "bookings",
        "tickets",
        "revenue",
        "occupancy",
        "checked_in",
        "attendance",
        "no_shows",
    }


@pytest.mark.parametrize("group_by", ["weekday", "time_slot", "movie"])
def test_dashboard_csv_command_and_api_give_the_same_numbers(client, staff, week, group_by):
    query = week_query(week, group_by)
    client.force_login(staff)

    def normalised(rows) -> list[list[str]]:
        return [[str(value) for value in row] for row in rows]

    dashboard = normalised(
        row.csv_values() for row in client.get(reverse("insights:dashboard"), query).context["rows"]
    )
    export = list(csv.reader(io.StringIO(client.get(reverse("insights:export"), query).content.decode())))[1:]
    out = io.StringIO()
    call_command(
        "booking_report",
        "--group-by",
        group_by,
        "--from",
        query["from"],
        "--to",
        query["to"],
        "--format",
        "csv",
        stdout=out,
    )
    command = list(csv.reader(io.StringIO(out.getvalue())))[1:]
    api = normalised(
        [
            r["key"],
            r["label"],
            r["sessions"],
            r["bookings"],
            r["tickets"],
            r["revenue"],
            f"{r['occupancy']:.4f}",
        ]
        for r in client.get(URL, query, **bearer(staff)).json()["results"]
    )

    assert dashboard == export == command
    # The API has the CSV's first seven columns; the percentage and seats offered are CSV-only.
    assert [row[:7] for row in export] == api
    assert any(row[2] != "0" for row in api)  # the week is not empty
    assert len(api) == {"weekday": 7, "time_slot": 4, "movie": 2}[group_by]


def test_the_range_outside_the_week_is_empty_for_the_api_too(client, staff, week):
    query = {
        "group_by": "weekday",
        "from": str(week.sunday + timedelta(days=8)),
        "to": str(week.sunday + timedelta(days=8)),
    }

    body = client.get(URL, query, **bearer(staff)).json()

    assert all(row["sessions"] == 0 for row in body["results"])
