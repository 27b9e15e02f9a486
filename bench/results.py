"""What a run found: the machine, the budgets of DESIGN.md "Performance budgets",
a table for people and `bench/results.json` for programs."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from importlib.metadata import version
from pathlib import Path

import django

SCALE_TARGET = 1_000_000
# DESIGN.md "Performance budgets": requests/s as a share of the floor's.
FLOOR_SHARES = {"seat_map": 0.20, "whats_on": 0.20, "session_detail": 0.25, "booking_create": 0.10}
# Issue 19: requests/s as a share of the bare Django view's, served by the same gunicorn.
BARE_SHARES = {
    "floor": 0.70,
    "seat_map": 0.25,
    "seat_map_logged_in": 0.15,
    "session_detail": 0.30,
    "session_detail_304": 0.50,
    "whats_on": 0.15,
    "checkout": 0.15,
    "booking_create": 0.10,
    "booking_one_showtime": 0.10,
    "hold_create": 0.10,
    "hold_confirm": 0.10,
}
SCALE_SLOWDOWN = 1.25  # the seat map and the booking stay within 1.25x of their speed at 1k
SCALE_ROWS = ("seat_map", "booking_create")
REPORT_SECONDS = 1.0
LOCK_MS = 3.0  # issue 19: a booking holds its showtime's row lock at most this long (median)
WORKER_RSS_MB = 150


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _wrk_version(wrk: str) -> str:
    done = subprocess.run([wrk, "-v"], capture_output=True, text=True, check=False)
    return (done.stdout or done.stderr).splitlines()[0].strip()


def machine(wrk: str, postgres_version: str) -> dict:
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "memory_gib": _memory_gib(),
        "platform": platform.platform(),
        "load_average_at_start": [round(load, 2) for load in os.getloadavg()],
        "versions": {
            "python": platform.python_version(),
            "django": django.get_version(),
            "postgresql": postgres_version,
            "gunicorn": version("gunicorn"),
            "psycopg": version("psycopg"),
            "wrk": _wrk_version(wrk),
        },
    }


def add_floor_ratios(rows: list[dict]) -> None:
    """`ratio_to_floor`: against the floor measured around the row when it was
    (`adjacent_floor_rps`), else the phase's floor row; `ratio_to_phase_floor` too."""
    floor = next((r for r in rows if r["name"] == "floor" and r["status"] == "measured"), None)
    bare = next((r for r in rows if r["name"] == "bare" and r["status"] == "measured"), None)
    for row in rows:
        if row["status"] != "measured":
            continue
        if bare and bare["rps"]:
            row["ratio_to_bare"] = round(row["rps"] / bare["rps"], 3)
        if floor and floor["rps"]:
            row["ratio_to_phase_floor"] = round(row["rps"] / floor["rps"], 3)
        adjacent = row.get("adjacent_floor_rps")
        if adjacent:
            row["ratio_to_floor"] = round(row["rps"] / adjacent, 3)
        elif "ratio_to_phase_floor" in row:
            row["ratio_to_floor"] = row["ratio_to_phase_floor"]


def scale_ratios(base: list[dict], scaled: list[dict]) -> list[dict]:
    """Scaled ÷ base for every row measured in both phases."""
    before = {r["name"]: r for r in base if r["status"] == "measured"}
    ratios = []
    for row in scaled:
        earlier = before.get(row["name"])
        if row["status"] != "measured" or earlier is None:
            continue
        ratios.append(
            {
                "name": row["name"],
                "label": row["label"],
                "rps": round(row["rps"] / earlier["rps"], 3) if earlier["rps"] else None,
                "p50": round(row["latency_ms"]["p50"] / earlier["latency_ms"]["p50"], 3)
                if earlier["latency_ms"]["p50"]
                else None,
                # The same, against each phase's own floor: what is left once the machine's drift is out.
                "rps_vs_floor": round(row["ratio_to_floor"] / earlier["ratio_to_floor"], 3)
                if earlier.get("ratio_to_floor") and row.get("ratio_to_floor")
                else None,
            }
        )
    return ratios


def _verdict(name: str, rule: str, value: str, passed: bool | None, note: str = "") -> dict:
    return {"name": name, "rule": rule, "value": value, "passed": passed, "note": note}


def budgets(results: dict) -> list[dict]:
    verdicts = []
    base = {r["name"]: r for r in results["phases"][0]["rows"]}
    for name, share in FLOOR_SHARES.items():
        row = base.get(name)
        rule = f"{row['label'] if row else name} ≥ {share:.0%} of the floor"
        if row is None or row["status"] == "skipped":
            verdicts.append(_verdict(name, rule, "not measured", None, row["reason"] if row else ""))
        elif row["status"] == "failed":
            verdicts.append(_verdict(name, rule, "failed", False, row["reason"]))
        else:
            ratio = row.get("ratio_to_floor", 0.0)
            verdicts.append(_verdict(name, rule, f"{ratio:.1%}", ratio >= share))

    for name, share in BARE_SHARES.items():
        row = base.get(name)
        rule = f"{row['label'] if row else name} ≥ {share:.0%} of the bare Django view"
        if row is None:
            note = "no such row in this bench"
            verdicts.append(_verdict(f"{name}_vs_bare", rule, "not measured", None, note))
        elif row["status"] != "measured" or "ratio_to_bare" not in row:
            reason = row.get("reason") or "the bare view was not measured"
            verdicts.append(_verdict(f"{name}_vs_bare", rule, "not measured", None, reason))
        else:
            ratio = row["ratio_to_bare"]
            verdicts.append(_verdict(f"{name}_vs_bare", rule, f"{ratio:.1%}", ratio >= share))

    race = results["race"]
    rule = "race: every round exactly one winner, the rest 409, no 5xx"
    if race["status"] != "measured":
        verdicts.append(_verdict("race", rule, "not measured", None, race.get("reason", "")))
    else:
        value = f"winners {race['winners']}, 409s {race['conflicts']}, 5xx {race['server_errors']}"
        verdicts.append(_verdict("race", rule, value, race["ok"]))

    lock = results.get("lock", {"status": "not measured", "reason": "not run"})
    rule = f"a booking holds its showtime's lock ≤ {LOCK_MS:g} ms (median)"
    if lock["status"] != "measured":
        verdicts.append(_verdict("booking_lock", rule, "not measured", None, lock.get("reason", "")))
    else:
        value = (
            f"{lock['median_ms']} ms (p99 {lock['p99_ms']}; ≤ {lock['ceiling_per_showtime']}/s a showtime)"
        )
        verdicts.append(_verdict("booking_lock", rule, value, lock["median_ms"] <= LOCK_MS))

    sizes = results.get("memory", {}).get("worker_rss_mb", [])
    rule = f"each worker's RSS after the load ≤ {WORKER_RSS_MB} MB"
    if not sizes:
        verdicts.append(_verdict("worker_rss", rule, "not measured", None, "no /proc to read"))
    else:
        verdicts.append(_verdict("worker_rss", rule, f"max {max(sizes)} MB", max(sizes) <= WORKER_RSS_MB))

    verdicts += _scale_budgets(results)

    errors = [
        r for phase in results["phases"] for r in phase["rows"] if r["status"] == "measured" and r["errors"]
    ]
    value = ", ".join(f"{r['name']}: {r['errors']}" for r in errors) or "none"
    verdicts.append(_verdict("clean", "(sanity) every measured answer is a 2xx", value, not errors))
    return verdicts


def _scale_budgets(results: dict) -> list[dict]:
    if len(results["phases"]) < 2:
        note = "the run was not scaled (--scale none)"
        names = [f"{name}_scaled" for name in (*SCALE_ROWS, "reports")]
        return [
            _verdict(name, f"{name} at {SCALE_TARGET:,} bookings", "not measured", None, note)
            for name in names
        ]
    scaled_phase = results["phases"][1]
    short = scaled_phase["counts"]["bookings"] < SCALE_TARGET
    note = f"scaled to {scaled_phase['counts']['bookings']:,} bookings, not {SCALE_TARGET:,}" if short else ""
    verdicts = []
    ratios = {r["name"]: r for r in results["scale_ratios"]}
    for name in SCALE_ROWS:
        rule = f"{name} at 1M keeps ≥ 1/{SCALE_SLOWDOWN} of its req/s at 1k"
        ratio = ratios.get(name)
        if ratio is None or not ratio["rps"]:
            verdicts.append(_verdict(name + "_scaled", rule, "not measured", None, note))
            continue
        passed = None if short else ratio["rps"] >= 1 / SCALE_SLOWDOWN
        verdicts.append(_verdict(name + "_scaled", rule, f"1M ÷ 1k = {ratio['rps']:.2f}", passed, note))
    for row in scaled_phase["rows"]:
        if not row["name"].startswith("report_"):
            continue
        rule = (
            f"{row['label']} (default range) answers in < {REPORT_SECONDS:g} s at 1M "
            "(slowest of sequential requests)"
        )
        alone = row.get("alone") or {}
        if row["status"] == "failed" or "error" in alone:
            verdicts.append(
                _verdict(row["name"], rule, "failed", False, row.get("reason", alone.get("error")))
            )
        elif "max_ms" not in alone:
            verdicts.append(_verdict(row["name"], rule, "not measured", None, row.get("reason", note)))
        else:
            passed = None if short else alone["max_ms"] < REPORT_SECONDS * 1000
            all_data = (row.get("alone_all_data") or {}).get("max_ms")
            record = f"over all the data: {all_data:.0f} ms" if all_data is not None else ""
            verdicts.append(
                _verdict(
                    row["name"],
                    rule,
                    f"{alone['max_ms']:.0f} ms",
                    passed,
                    "; ".join(filter(None, [note, record])),
                )
            )
            if all_data is not None:
                verdicts.append(
                    _verdict(
                        row["name"] + "_all_data",
                        f"{row['label']} over all the data answers in < {REPORT_SECONDS:g} s at 1M "
                        "(issue 19; slowest of sequential requests)",
                        f"{all_data:.0f} ms",
                        None if short else all_data < REPORT_SECONDS * 1000,
                        note,
                    )
                )
    return verdicts


def _number(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def row_line(row: dict) -> str:
    if row["status"] != "measured":
        return f"  {row['label']:<34} {row['status']}: {row['reason']}"
    latency = row["latency_ms"]
    ratio = row.get("ratio_to_floor")
    to_bare = row.get("ratio_to_bare")
    alone = row.get("alone", {}).get("max_ms")
    adjacent = row.get("adjacent_floor_rps")
    all_data = row.get("alone_all_data", {}).get("max_ms")
    return (
        f"  {row['label']:<34} {_number(row['rps']):>10} {_number(latency['p50'], 2):>8} "
        f"{_number(latency['p95'], 2):>8} {_number(latency['p99'], 2):>8} {row['errors']:>7} "
        f"{'—' if ratio is None else f'{ratio:.1%}':>8}"
        + (f" of {adjacent:,.0f}" if adjacent else "")
        + (f", {to_bare:.1%} of bare" if to_bare is not None else "")
        + (f"   alone ≤ {alone:,.0f} ms" if alone else "")
        + (f", all data ≤ {all_data:,.0f} ms" if all_data else "")
        + ("   (ran out of requests: connections ÷ mean latency)" if row.get("rps_basis") else "")
    )


def table(results: dict) -> str:
    m = results["machine"]
    v = m["versions"]
    run = results["run"]
    lines = [
        f"Machine: {m['cpu_count']} CPUs ({m['cpu_model']}), {m['memory_gib']} GiB, load "
        f"{' '.join(map(str, m['load_average_at_start']))} at start; Python {v['python']}, "
        f"Django {v['django']}, PostgreSQL {v['postgresql']}, gunicorn {v['gunicorn']}, {v['wrk']}",
        f"Load: wrk, {run['connections']} connections, {run['threads']} threads, {run['duration']:g} s "
        f"per row after {run['warmup']:g} s of warm-up; gunicorn workers: {run['workers']}",
    ]
    columns = ("req/s", 10), ("p50 ms", 8), ("p95 ms", 8), ("p99 ms", 8), ("errors", 7), ("× floor", 8)
    header = f"  {'endpoint':<34} " + " ".join(f"{name:>{width}}" for name, width in columns)
    for phase in results["phases"]:
        c = phase["counts"]
        lines += [
            "",
            f"With {c['bookings']:,} bookings ({c['tickets']:,} tickets, {c['showtimes']:,} showtimes):",
        ]
        lines += [header] + [row_line(row) for row in phase["rows"]]
    race = results["race"]
    lines.append("")
    if race["status"] == "measured":
        lines.append(
            f"Race: {len(race['rounds'])} rounds × {race['clients']} clients on one seat: winners per round "
            f"{race['winners']}, 409s {race['conflicts']}, 5xx {race['server_errors']}, other {race['other']}"
        )
    else:
        lines.append(f"Race: {race['status']}: {race.get('reason', '')}")
    if results["scale_ratios"]:
        lines += ["", f"  {'scaled ÷ base':<34} {'req/s':>10} {'p50':>8} {'req/s ÷ floor':>14}"]
        lines += [
            f"  {r['label']:<34} {_number(r['rps'], 2):>10} {_number(r['p50'], 2):>8} "
            f"{_number(r['rps_vs_floor'], 2):>14}"
            for r in results["scale_ratios"]
        ]
    lines += ["", "Budgets (DESIGN.md's against the floor /ping; issue 19's against the bare Django view):"]
    marks = {True: "PASS", False: "FAIL", None: "n/a "}
    for verdict in results["budgets"]:
        note = f"  ({verdict['note']})" if verdict["note"] else ""
        lines.append(f"  {marks[verdict['passed']]}  {verdict['rule']}: {verdict['value']}{note}")
    return "\n".join(lines)


def write_json(results: dict, path: Path) -> None:
    # Written beside, then renamed: a reader never sees half a file.
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    temporary.replace(path)
