from __future__ import annotations

from bench import results


def measured(name: str, rps: float, p50: float = 10.0, **extra) -> dict:
    latency = {"p50": p50, "p95": p50 * 2, "p99": p50 * 3}
    return {
        "name": name,
        "label": name,
        "status": "measured",
        "rps": rps,
        "latency_ms": latency,
        "errors": 0,
        **extra,
    }


def skipped(name: str) -> dict:
    return {
        "name": name,
        "label": name,
        "status": "skipped",
        "reason": f"{name} answers 404: not in this build yet",
    }


def run_with(base: list[dict], scaled: list[dict] | None = None, bookings: int = 1_000_000) -> dict:
    phases = [
        {"name": "base", "counts": {"bookings": 1_000, "tickets": 2_000, "showtimes": 300}, "rows": base}
    ]
    if scaled is not None:
        phases.append(
            {"name": "scaled", "counts": {"bookings": bookings, "tickets": 0, "showtimes": 0}, "rows": scaled}
        )
    for phase in phases:
        results.add_floor_ratios(phase["rows"])
    race = {"status": "measured", "ok": True, "winners": [1, 1], "conflicts": 98, "server_errors": 0}
    found = {"phases": phases, "race": race, "scale_ratios": []}
    if scaled is not None:
        found["scale_ratios"] = results.scale_ratios(base, scaled)
    return found


def verdicts(found: dict) -> dict[str, dict]:
    return {verdict["name"]: verdict for verdict in results.budgets(found)}


def test_it_judges_each_endpoint_against_its_share_of_the_floor():
    base = [
        measured("floor", 1000),
        measured("seat_map", 200),  # exactly 20%: met
        measured("whats_on", 150),  # 15% < 20%
        measured("session_detail", 260),
        measured("booking_create", 99),  # 9.9% < 10%
    ]

    found = verdicts(run_with(base))

    assert found["seat_map"]["passed"] is True
    assert found["whats_on"]["passed"] is False
    assert found["session_detail"]["passed"] is True
    assert found["booking_create"]["passed"] is False


def test_an_endpoint_not_built_yet_is_not_measured_rather_than_failed():
    found = verdicts(run_with([measured("floor", 1000), skipped("seat_map")]))

    assert found["seat_map"]["passed"] is None
    assert "404" in found["seat_map"]["note"]


def test_the_scaled_budgets_compare_speed_at_1m_with_speed_at_1k():
    base = [measured("floor", 1000), measured("seat_map", 400), measured("booking_create", 200)]
    scaled = [
        measured("floor", 1000),
        measured("seat_map", 330),  # 1.21x slower: within 1.25x
        measured("booking_create", 150),  # 1.33x slower
        measured("report_movie", 5, alone={"count": 5, "median_ms": 700.0, "max_ms": 1200.0}),
        {
            **measured("report_weekday", 5, alone={"count": 5, "median_ms": 40.0, "max_ms": 60.0}),
            "alone_all_data": {"count": 5, "median_ms": 900.0, "max_ms": 1100.0},
        },
    ]

    found = verdicts(run_with(base, scaled))

    assert found["seat_map_scaled"]["passed"] is True
    assert found["booking_create_scaled"]["passed"] is False
    assert found["report_movie"]["passed"] is False
    assert found["report_movie"]["value"] == "1200 ms"
    # Issue 19 judges the reports over all the data too.
    assert found["report_weekday"]["passed"] is True
    assert (found["report_weekday_all_data"]["passed"], found["report_weekday_all_data"]["value"]) == (
        False,
        "1100 ms",
    )


def test_a_run_scaled_short_of_1m_reports_but_does_not_judge_the_scaled_budgets():
    base = [measured("floor", 1000), measured("seat_map", 400)]

    found = verdicts(run_with(base, [measured("floor", 1000), measured("seat_map", 100)], bookings=2_000))

    assert found["seat_map_scaled"]["passed"] is None
    assert found["seat_map_scaled"]["value"] == "1M ÷ 1k = 0.25"


def test_any_error_in_a_measurement_fails_the_sanity_check():
    found = verdicts(run_with([measured("floor", 1000), {**measured("seat_map", 300), "errors": 3}]))

    assert found["clean"]["passed"] is False
    assert found["clean"]["value"] == "seat_map: 3"


def test_an_unscaled_run_leaves_the_scaled_budgets_unjudged():
    found = verdicts(run_with([measured("floor", 1000), measured("seat_map", 300)]))

    assert found["seat_map"]["passed"] is True
    assert found["seat_map_scaled"]["passed"] is None
    assert found["reports_scaled"]["note"] == "the run was not scaled (--scale none)"


def test_a_report_that_fails_at_scale_fails_its_budget():
    base = [measured("floor", 1000)]
    failing = {**skipped("report_movie"), "status": "failed", "reason": "answered 500 to a probe"}

    found = verdicts(run_with(base, [measured("floor", 1000), failing]))

    assert found["report_movie"]["passed"] is False


def test_it_judges_the_hot_paths_against_the_bare_django_view_too():
    base = [
        measured("floor", 1400),  # 70% of the bare view: met
        measured("bare", 2000),
        measured("seat_map", 499),  # 24.95% < 25%
        measured("session_detail", 600),  # 30%: met
    ]

    found = verdicts(run_with(base))

    assert base[2]["ratio_to_bare"] == 0.249
    assert found["floor_vs_bare"] == {**found["floor_vs_bare"], "passed": True, "value": "70.0%"}
    assert found["seat_map_vs_bare"]["passed"] is False
    assert found["session_detail_vs_bare"]["passed"] is True
    assert found["checkout_vs_bare"]["passed"] is None
    assert found["checkout_vs_bare"]["note"] == "no such row in this bench"


def test_without_the_bare_view_its_budgets_are_not_judged():
    found = verdicts(run_with([measured("floor", 1000), measured("seat_map", 300)]))

    assert found["seat_map_vs_bare"]["passed"] is None
    assert found["seat_map_vs_bare"]["note"] == "the bare view was not measured"
    assert found["seat_map"]["passed"] is True
