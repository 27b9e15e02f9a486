from __future__ import annotations

import shutil

import pytest

from bench import load

pytestmark = pytest.mark.skipif(shutil.which("wrk") is None, reason="needs wrk (apt-get install wrk)")

SETTINGS = load.Settings(duration=1, warmup=0, connections=4, threads=2)


def booking_target(pairs: list[tuple[int, int]], tokens: list[str]) -> load.Target:
    def script() -> tuple[str, int]:
        bodies = [
            (number % len(tokens), f'{{"session": {session}, "seats": [{seat}]}}')
            for number, (session, seat) in enumerate(pairs)
        ]
        return load.post_script("/api/bookings", tokens, bodies)

    return load.Target("booking_create", "POST /api/bookings", "POST", "/api/bookings", script=script)


def test_the_booking_script_asks_for_each_seat_once_and_stops_when_they_run_out(booking_stub):
    pairs = [(session, seat) for session in (1, 2) for seat in range(1, 51)]

    figures = load.run_wrk(booking_stub.url, booking_target(pairs, ["a", "b"]), seconds=1, settings=SETTINGS)

    asked = [(r["session"], r["seats"][0]) for r in booking_stub.received]
    assert len(asked) == len(set(asked)), "a seat was asked for twice"
    assert set(asked) <= set(pairs)
    assert {r["authorization"] for r in booking_stub.received} == {"Bearer a", "Bearer b"}
    # Bounded by the seats it was given, not only by time.
    assert figures["requests"] <= len(pairs)
    assert load.summarize(figures)["errors"] == 0


def test_it_reports_non_2xx_answers_as_errors(booking_stub):
    booking_stub.sold.update((1, seat) for seat in range(1, 11))  # all taken: every answer is a 409

    figures = load.run_wrk(
        booking_stub.url, booking_target([(1, s) for s in range(1, 11)], ["a"]), seconds=1, settings=SETTINGS
    )

    summary = load.summarize(figures)
    assert summary["requests"] > 0
    assert summary["non_2xx"] == summary["requests"] == summary["statuses"]["409"]


def test_a_route_that_answers_404_is_skipped_with_a_reason(booking_stub):
    row = load.measure(
        booking_stub.url, load.Target("seat_map", "seat map", "GET", "/showtimes/1/"), SETTINGS
    )

    assert row["status"] == "skipped"
    assert row["reason"] == "GET /showtimes/1/ answers 404: not in this build yet"
    assert booking_stub.received == []


def test_an_unexpected_probe_answer_fails_the_row_instead_of_measuring_it(booking_stub):
    target = load.Target(
        "booking_create", "POST", "POST", "/api/bookings", probe_body='{"session": 1, "seats": [5]}'
    )  # expects 400 for no seats; a real seat answers 201

    row = load.measure(booking_stub.url, target, SETTINGS)

    assert row["status"] == "failed"
    assert "answered 201" in row["reason"]


def test_a_run_that_runs_out_of_requests_counts_only_the_time_it_was_busy():
    figures = {
        "duration_us": 10_000_000,
        "requests": 100,
        "statuses": {"201": 100},
        "socket_errors": {},
        "latency_us": {"mean": 160_000.0, "max": 200_000, "p50": 150_000},
        "ran_out_at": 16,
    }

    summary = load.summarize(figures)

    # 16 connections each waiting 160 ms a request: 100 requests took 1 s, not the 10 s wrk waited.
    assert summary["rps"] == 100.0 and summary["seconds"] == 1.0
    assert "connections ÷ mean latency" in summary["rps_basis"]
    assert "rps_basis" not in load.summarize({**figures, "ran_out_at": None})
