"""Drive load with wrk from a separate process, and read its figures back.

Every wrk run is bounded in time (`-d`) and, through the Lua script, in
requests per thread; the subprocess also has a hard timeout.
"""

from __future__ import annotations

import dataclasses
import http.client
import json
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

LUA = Path(__file__).resolve().parent / "lua"
RESULT_PREFIX = "BENCH_RESULT "
# wrk's own default (2 s) would count a slow report as a socket error, not a latency.
REQUEST_TIMEOUT = "10s"


class LoadError(RuntimeError):
    pass


def wrk_path() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise LoadError("wrk is not installed: `apt-get install wrk` (the benchmark's load tool).")
    return path


def lua_quote(text: str) -> str:
    return "[==[" + text + "]==]"


def post_script(path: str, tokens: list[str], bodies: list[tuple[int, str]]) -> tuple[str, int]:
    """post_json.lua for `bodies`, each (the index of its JWT in `tokens`, its JSON), sent once."""
    header = (
        f"post_path = {lua_quote(path)}\n"
        f"access_tokens = {lua_quote(' '.join(tokens))}\n"
        f"bodies = {lua_quote(chr(10).join(f'{index + 1} {body}' for index, body in bodies))}\n"
    )
    return header + (LUA / "post_json.lua").read_text(), len(bodies)


@dataclass
class Target:
    """One measured endpoint. `script` gives the Lua source for a run (fresh seats for POSTs)."""

    name: str
    label: str
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    probe_body: str | None = None
    probe_ok: tuple[int, ...] = (200,)
    script: Callable[[], tuple[str, int]] | None = None  # (Lua source, requests available; 0 = any)
    all_data_path: str | None = None  # reports: the same over every showtime, timed alone
    conditional: bool = False  # sent with If-None-Match: the ETag `path` answers just before


@dataclass
class Settings:
    duration: float
    warmup: float
    connections: int
    threads: int


def request_once(base_url: str, method: str, path: str, headers: dict[str, str], body: str | None = None):
    """One request with the standard library: (status, body bytes)."""
    host, port = base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def etag_of(base_url: str, path: str) -> str:
    host, port = base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.getheader("ETag", "")
    finally:
        connection.close()


def probe(base_url: str, target: Target) -> str | None:
    """None when the endpoint answers as expected, else why it is not measured."""
    headers = dict(target.headers)
    if target.probe_body is not None:
        headers["Content-Type"] = "application/json"
    status, _ = request_once(base_url, target.method, target.path, headers, target.probe_body)
    if status in target.probe_ok:
        return None
    if status == 404:
        return f"{target.method} {target.path.split('?')[0]} answers 404: not in this build yet"
    return f"{target.method} {target.path.split('?')[0]} answered {status} to a probe"


def _script_file(source: str) -> str:
    with tempfile.NamedTemporaryFile("w", prefix="bench-", suffix=".lua", delete=False) as script:
        script.write(source)
        return script.name


def run_wrk(base_url: str, target: Target, *, seconds: float, settings: Settings) -> dict:
    """One bounded wrk run against `target`; the figures its Lua `done()` printed."""
    stats = (LUA / "stats.lua").read_text()
    source, available = target.script() if target.script else ("", 0)
    threads = min(settings.threads, settings.connections)
    # A thread's share, less what its connections may still have in flight when it stops.
    limit = max(1, available // threads - settings.connections // threads) if available else 0
    script = _script_file(source + "\n" + stats)
    command = [wrk_path(), "-t", str(threads), "-c", str(settings.connections)]
    command += ["-d", f"{max(1, round(seconds))}s", "--timeout", REQUEST_TIMEOUT, "-s", script]
    for name, value in target.headers.items():
        command += ["-H", f"{name}: {value}"]
    command += [base_url + target.path, "--", str(limit), str(threads)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=False)
    finally:
        Path(script).unlink()
    for line in done.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            figures = json.loads(line.removeprefix(RESULT_PREFIX))
            # wrk times the whole -d even when every thread stopped early on its share.
            if limit and figures["requests"] >= limit * threads:
                figures["ran_out_at"] = settings.connections
            return figures
    raise LoadError(f"wrk gave no figures (exit {done.returncode}): {done.stderr.strip() or done.stdout}")


def summarize(figures: dict, also_ok: tuple[int, ...] = ()) -> dict:
    """Requests/s, latency in ms and errors (non-2xx answers but `also_ok`'s, and socket
    errors) from wrk's figures."""
    seconds = figures["duration_us"] / 1e6
    basis = {}
    if figures.get("ran_out_at") and figures["latency_us"]["mean"]:
        # Closed-loop load: while every connection is busy, throughput is connections ÷
        # mean latency; the run lasted that long, not the -d it was given.
        seconds = figures["requests"] * figures["latency_us"]["mean"] / 1e6 / figures["ran_out_at"]
        basis = {"rps_basis": "its requests ran out before the duration: connections ÷ mean latency"}
    statuses = {int(status): count for status, count in figures["statuses"].items()}
    non_2xx = sum(
        count for status, count in statuses.items() if not 200 <= status < 300 and status not in also_ok
    )
    socket_errors = sum(figures["socket_errors"].values())
    latency = figures["latency_us"]
    return {
        "requests": figures["requests"],
        "seconds": round(seconds, 2),
        "rps": round(figures["requests"] / seconds, 1) if seconds else 0.0,
        "latency_ms": {key: round(value / 1000, 2) for key, value in latency.items()},
        "errors": non_2xx + socket_errors,
        "non_2xx": non_2xx,
        "socket_errors": figures["socket_errors"],
        "statuses": {str(status): count for status, count in sorted(statuses.items())},
        **basis,
    }


def measure(base_url: str, target: Target, settings: Settings, floor: Target | None = None) -> dict:
    """Probe, warm up, then measure `target` at a fixed concurrency.

    With a `floor`, the floor is also measured just before and just after (a
    fifth of the duration each): on a shared machine the load drifts within a
    run, and the ratio to the floor should compare like with like.
    """
    row = {"name": target.name, "label": target.label, "method": target.method, "path": target.path}
    if target.conditional:
        target = dataclasses.replace(
            target, headers={**target.headers, "If-None-Match": etag_of(base_url, target.path)}
        )
    reason = probe(base_url, target)
    if reason is not None:
        not_found = "answers 404" in reason
        return {**row, "status": "skipped" if not_found else "failed", "reason": reason}
    if settings.warmup > 0:
        run_wrk(base_url, target, seconds=settings.warmup, settings=settings)
    bracket = max(1.0, settings.duration / 5)
    floors = [summarize(run_wrk(base_url, floor, seconds=bracket, settings=settings))["rps"]] if floor else []
    figures = run_wrk(base_url, target, seconds=settings.duration, settings=settings)
    if floor:
        floors.append(summarize(run_wrk(base_url, floor, seconds=bracket, settings=settings))["rps"])
        row["adjacent_floor_rps"] = round(statistics.mean(floors), 1)
    # A conditional GET is answered 304 when all is well.
    return {**row, "status": "measured", **summarize(figures, also_ok=(304,) if target.conditional else ())}


def sequential_latency(base_url: str, target: Target, count: int) -> dict:
    """Milliseconds per answer with nothing else in flight: what one staff member waits."""
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        status, _ = request_once(base_url, target.method, target.path, target.headers)
        timings.append((time.perf_counter() - started) * 1000)
        if status != 200:
            return {"error": f"answered {status}"}
    return {
        "count": count,
        "median_ms": round(statistics.median(timings), 1),
        "max_ms": round(max(timings), 1),
    }
