"""`python -m bench --smoke` end to end, in seconds: tiny data, 1-second rows.

An endpoint is expected to be measured, without errors, exactly when its
route resolves in this build; until then its row must say why it was skipped.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from django.db import connection
from django.urls import Resolver404, resolve

from bench.server import ROOT, port_answers

SMOKE_SCALE = 2_000
# All in one group: pytest-django runs database tests first, and a module split
# in two would run the smoke twice.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def resolves(path: str) -> bool:
    try:
        resolve(path.split("?")[0])
    except Resolver404:
        return False
    return True


@pytest.fixture(scope="module")
def smoke(tmp_path_factory) -> dict:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (COPY, a database of its own)")
    if shutil.which("wrk") is None:
        pytest.skip("needs wrk (apt-get install wrk)")
    output = tmp_path_factory.mktemp("bench") / "results.json"
    database = f"{connection.settings_dict['NAME']}_benchsmoke"
    command = [sys.executable, "-m", "bench", "--smoke", "--scale", str(SMOKE_SCALE)]
    command += ["--database-name", database, "--drop-database", "--output", str(output)]
    done = subprocess.run(command, cwd=ROOT, env=os.environ, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    return {"results": json.loads(output.read_text()), "stdout": done.stdout}


def rows(smoke: dict, phase: int) -> dict[str, dict]:
    return {row["name"]: row for row in smoke["results"]["phases"][phase]["rows"]}


def test_it_measures_the_floors_and_healthz_without_errors(smoke):
    for phase, names in ((0, ("floor", "bare", "healthz")), (1, ("floor", "bare"))):
        for name in names:
            row = rows(smoke, phase)[name]
            assert row["status"] == "measured"
            assert row["requests"] > 0 and row["rps"] > 0
            assert row["errors"] == 0, row["statuses"]
            assert 0 < row["latency_ms"]["p50"] <= row["latency_ms"]["p99"]
    assert rows(smoke, 0)["floor"]["ratio_to_floor"] == 1.0
    assert rows(smoke, 0)["bare"]["ratio_to_bare"] == 1.0
    assert rows(smoke, 0)["floor"]["ratio_to_bare"] > 0


def test_it_measures_every_endpoint_that_resolves_and_says_why_it_skips_the_others(smoke):
    for phase in (0, 1):
        for name, row in rows(smoke, phase).items():
            # The bare view is bench/wsgi.py's, beside the project's URLs.
            if name == "bare" or resolves(row["path"]):
                assert row["status"] == "measured", f"{name}: {row.get('reason')}"
                assert row["errors"] == 0, f"{name}: {row['statuses']}"
            else:
                assert row["status"] == "skipped", name
                assert "answers 404" in row["reason"]


def test_the_race_runs_once_bookings_exist_and_has_one_winner_per_round(smoke):
    race = smoke["results"]["race"]

    if resolves("/api/bookings"):
        assert race["status"] == "measured"
        assert race["winners"] == [1, 1]
        assert race["server_errors"] == 0
    else:
        assert race["status"] == "skipped"
        assert "answers 404" in race["reason"]


def test_it_scales_to_the_asked_number_of_bookings(smoke):
    base, scaled = smoke["results"]["phases"]

    assert base["counts"]["bookings"] < SMOKE_SCALE
    assert scaled["counts"]["bookings"] == SMOKE_SCALE
    assert scaled["counts"]["tickets"] > SMOKE_SCALE
    assert [r["name"] for r in smoke["results"]["scale_ratios"]][0] == "floor"


def test_it_stops_gunicorn_and_drops_its_database(smoke):
    assert not port_answers(smoke["results"]["server"]["port"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [smoke["results"]["run"]["database"]])
        assert cursor.fetchone() is None


def test_it_describes_the_machine_and_judges_every_budget(smoke):
    results = smoke["results"]
    machine = results["machine"]

    assert machine["cpu_count"] >= 1
    assert set(machine["versions"]) >= {"python", "django", "postgresql", "gunicorn", "wrk"}
    names = {verdict["name"] for verdict in results["budgets"]}
    assert names >= {"seat_map", "whats_on", "session_detail", "booking_create", "race", "clean"}
    assert names >= {"floor_vs_bare", "seat_map_vs_bare", "booking_create_vs_bare"}
    assert "Budgets (DESIGN.md's against the floor /ping" in smoke["stdout"]
