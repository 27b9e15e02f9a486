"""One benchmark run, start to end: a fresh database, the data, gunicorn, the
measurements at the base size, the race, the scale-up, the measurements again,
and the results. The server is stopped whatever happens."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import secrets
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import psycopg

from bench import load, race, results
from bench.server import BARE_PATH, ROOT, gunicorn

DEFAULT_SERVER_URL = "postgres://cinema:cinema@127.0.0.1:5432/cinema"
REPORT_GROUPINGS = ("weekday", "time_slot", "movie", "ticket_type")
BOOKING_PATH = race.BOOKING_PATH
HOLD_PATH = "/api/holds"
# Holds a hold row makes (or confirms) per run: bounded, as making them in this process takes time.
HOLDS_PER_RUN = 1500


@dataclass
class Options:
    duration: float = 20.0
    warmup: float = 3.0
    connections: int = 16
    threads: int = 2
    workers: int | None = None
    scale: int = 1_000_000
    base_bookings: int = 1_000
    future_showtimes: int = 200
    past_days: int = 7
    users: int = 500
    race_rounds: int = 20
    race_clients: int = 50
    lock_bookings: int = 300  # bookings timed for the showtime lock's hold
    alone_requests: int = 5
    database_name: str = "cinema_benchrun"
    drop_database: bool = False
    output: Path = ROOT / "bench" / "results.json"
    smoke: bool = False
    rows: tuple[str, ...] = ()  # only these rows (and the floor); empty: all
    adjacent_floor: bool = True  # the floor measured again around each row


def _database_url(name: str) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = DEFAULT_SERVER_URL
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


def _admin(url: str) -> psycopg.Connection:
    return psycopg.connect(
        urlunsplit(urlsplit(url)._replace(scheme="postgresql", path="/postgres")), autocommit=True
    )


def _drop_database(url: str, name: str) -> None:
    with _admin(url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _create_database(url: str, name: str) -> None:
    # Only ever a benchmark's own database: a typo must not drop the real one.
    if "bench" not in name:
        raise SystemExit(f"Refusing to drop and recreate {name!r}: its name must contain 'bench'.")
    _drop_database(url, name)
    with _admin(url) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')


def _environment(options: Options, database_url: str) -> dict[str, str]:
    """Production settings on plain HTTP, for this process and for gunicorn alike."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "off",
        "DJANGO_HTTPS": "off",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "GUNICORN_ACCESSLOG": "",
        # The smoke has seconds, not collectstatic's minutes: plain static storage needs no manifest.
        "DJANGO_SETTINGS_MODULE": "bench.smoke_settings" if options.smoke else "cinema.settings",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    if options.workers:
        env["WEB_CONCURRENCY"] = str(options.workers)
    return env


def _collect_static() -> None:
    """collectstatic as a deploy runs it, skipped when the collected files match the sources."""
    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders
    from django.core.management import call_command

    digest = hashlib.sha256(settings.STORAGES["staticfiles"]["BACKEND"].encode())
    for finder in get_finders():
        for path, storage in sorted(finder.list([]), key=lambda found: found[0]):
            stat = os.stat(storage.path(path))
            digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    root = Path(settings.STATIC_ROOT)
    stamp = root / ".bench-sources"
    if (root / "staticfiles.json").exists() and stamp.exists() and stamp.read_text() == digest.hexdigest():
        return
    print("Collecting static files (once per change of them; it takes a while)…", file=sys.stderr)
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(digest.hexdigest())


ROW_NAMES = (
    *("healthz", "whats_on", "seat_map", "checkout", "session_detail"),
    *("booking_create", "booking_one_showtime", "hold_create", "hold_confirm", "report"),
)


@dataclass(frozen=True)
class Customers:
    """Who the load books as (ids in order, as `access_tokens` mints their tokens): a few
    for the spread rows, others for one showtime's (each customer may have at most 10
    of a showtime's seats), so that neither meets the limit the other used up."""

    spread: list[int]
    crowd: list[int]


def _customers(dataset) -> Customers:
    ids = sorted(dataset.customer_ids)
    return Customers(spread=ids[:8], crowd=ids[8:48] or ids)


def _targets(
    dataset,
    staff_token: str,
    customers: Customers,
    customer_tokens: list[str],
    many_tokens: list[str],
    window,
    *,
    scaled: bool,
    rows: tuple[str, ...] = (),
) -> list[load.Target]:
    from django.utils import timezone

    from bench import box_office
    from bench.dataset import free_seats

    customer_ids, many_ids = customers.spread, customers.crowd
    customer_cookie = box_office.session_cookie(customer_ids[0])

    # Seats given to an earlier run (the warm-up) are never given again: its last
    # requests may still be in flight when the next run reads the free seats.
    handed_out: set[tuple[int, int]] = set()

    def fresh_pairs(share: float = 0.5, limit: int | None = None) -> list[tuple[int, int]]:
        pairs = [pair for pair in free_seats(dataset) if pair not in handed_out]
        if not pairs:
            raise load.LoadError("no free seats left for the booking load")
        # A share of them: the next run (the measurement after its warm-up, the
        # next row, the scaled phase after the base one) needs its own.
        pairs = pairs[: min(limit or len(pairs), max(1, int(len(pairs) * share)))]
        handed_out.update(pairs)
        return pairs

    def booking_script() -> tuple[str, int]:
        bodies = box_office.one_seat_bodies(fresh_pairs(), customer_ids)
        return load.post_script(BOOKING_PATH, customer_tokens, bodies)

    def one_showtime_script() -> tuple[str, int]:
        # The showtime with the most seats left, each customer at most MAX_SEATS_PER_CUSTOMER of them.
        by_showtime: dict[int, list[tuple[int, int]]] = {}
        for pair in free_seats(dataset):
            if pair not in handed_out:
                by_showtime.setdefault(pair[0], []).append(pair)
        pairs = max(by_showtime.values(), key=len)
        handed_out.update(pairs)
        return load.post_script(BOOKING_PATH, many_tokens, box_office.one_seat_bodies(pairs, many_ids))

    def hold_script() -> tuple[str, int]:
        bodies = box_office.one_seat_bodies(fresh_pairs(0.1, limit=HOLDS_PER_RUN), customer_ids)
        return load.post_script(HOLD_PATH, customer_tokens, bodies)

    def confirm_script() -> tuple[str, int]:
        holds = box_office.make_holds(fresh_pairs(0.1, limit=HOLDS_PER_RUN * 2), customer_ids, HOLDS_PER_RUN)
        bodies = [(index, f'{{"hold": {hold}}}') for index, hold in holds]
        return load.post_script(BOOKING_PATH, customer_tokens, bodies)

    def posts(name: str, label: str, path: str, script, probe_body: str | None = None) -> load.Target:
        # The probe asks for no seats (a 400 that changes nothing) as the first customer;
        # the load's requests carry their own tokens (post_json.lua).
        return load.Target(
            name,
            label,
            "POST",
            path,
            headers={"Authorization": f"Bearer {customer_tokens[0]}"},
            probe_body=probe_body or f'{{"session": {showtime}, "seats": []}}',
            probe_ok=(400,),
            script=script,
        )

    # A hold of the first customer's for the checkout page, made for this phase.
    checkout_hold = box_office.make_holds(fresh_pairs(0.01, limit=20), customer_ids[:1], 1)[0][1]
    staff = {"Authorization": f"Bearer {staff_token}"}
    tomorrow = timezone.localdate() + timedelta(days=1)
    first, last = window
    showtime = dataset.seat_map_showtime
    targets = [
        load.Target("floor", "floor: GET /ping", "GET", "/ping"),
        # Issue 19's floor: a bare Django view in the same gunicorn, for the ratios to the framework.
        load.Target("bare", "bare Django view (no middleware)", "GET", BARE_PATH),
        load.Target("healthz", "GET /healthz (one query)", "GET", "/healthz"),
        # Tomorrow's page: today's empties as the day goes on, tomorrow's is always full.
        load.Target("whats_on", "what's on: GET /?day=(tomorrow)", "GET", f"/?day={tomorrow.isoformat()}"),
        load.Target("seat_map", "seat map (300 seats)", "GET", f"/showtimes/{showtime}/"),
        load.Target(
            "seat_map_logged_in",
            "seat map (300 seats), logged in",
            "GET",
            f"/showtimes/{showtime}/",
            headers={"Cookie": customer_cookie},
        ),
        load.Target(
            "checkout",
            "checkout page of a hold",
            "GET",
            f"/checkout/{checkout_hold}/",
            {"Cookie": customer_cookie},
        ),
        load.Target("session_detail", "GET /api/sessions/{id}", "GET", f"/api/sessions/{showtime}"),
        load.Target(
            "session_detail_304",
            "GET /api/sessions/{id}, If-None-Match (304)",
            "GET",
            f"/api/sessions/{showtime}",
            probe_ok=(304,),
            conditional=True,
        ),
        posts("booking_create", "POST /api/bookings", BOOKING_PATH, booking_script),
        posts(
            "booking_one_showtime",
            "POST /api/bookings, all on one showtime",
            BOOKING_PATH,
            one_showtime_script,
        ),
        posts("hold_create", "POST /api/holds", HOLD_PATH, hold_script),
        # (The probe's hold does not matter: its invalid tickets are a 400 first.)
        posts(
            "hold_confirm",
            "POST /api/bookings from a hold",
            BOOKING_PATH,
            confirm_script,
            '{"hold": 1, "tickets": "none"}',
        ),
    ]
    # The budget ("every insights report answers in under 1 s") is read as the
    # report staff get: the API's and the dashboard's default range, the last
    # 30 days and the next 30. Over all the data (three years at 1M) it is
    # also timed alone, for the record (`alone_all_data`).
    for grouping in REPORT_GROUPINGS:
        targets.append(
            load.Target(
                f"report_{grouping}",
                f"report by {grouping}",
                "GET",
                f"/api/reports/bookings?{urlencode({'group_by': grouping})}",
                staff,
                all_data_path="/api/reports/bookings?"
                + urlencode({"group_by": grouping, "from": first.isoformat(), "to": last.isoformat()}),
            )
        )
    if scaled:  # the scaled set, with the floor as the control for the machine's drift
        keep = {"floor", "bare", "seat_map", "session_detail", "session_detail_304", "booking_create"}
        targets = [t for t in targets if t.name in keep or t.name.startswith("report_")]
    if rows:  # the floors always: every ratio is against them
        floors = ("floor", "bare")
        targets = [t for t in targets if t.name in floors or any(t.name.startswith(row) for row in rows)]
    return targets


def _measure_phase(server, dataset, options: Options, settings: load.Settings, *, scaled: bool) -> dict:
    from bench.dataset import access_tokens, counts, report_window

    customers = _customers(dataset)
    customer_tokens = access_tokens(customers.spread)
    many_tokens = access_tokens(customers.crowd)
    staff_token = access_tokens([dataset.staff_id])[0]
    targets = _targets(
        dataset,
        staff_token,
        customers,
        customer_tokens,
        many_tokens,
        report_window(),
        scaled=scaled,
        rows=options.rows,
    )
    phase = {"name": "scaled" if scaled else "base", "counts": counts(), "rows": []}
    print(f"Measuring with {phase['counts']['bookings']:,} bookings…", file=sys.stderr)
    floor = next(t for t in targets if t.name == "floor")
    for target in targets:
        adjacent = floor if options.adjacent_floor and target is not floor else None
        row = load.measure(server.url, target, settings, floor=adjacent)
        if row["status"] == "measured" and target.name.startswith("report_"):
            row["alone"] = load.sequential_latency(server.url, target, options.alone_requests)
            all_data = dataclasses.replace(target, path=target.all_data_path)
            row["alone_all_data"] = load.sequential_latency(server.url, all_data, options.alone_requests)
        phase["rows"].append(row)
        results.add_floor_ratios(phase["rows"])
        print(results.row_line(row), file=sys.stderr)
    return phase


def _lock_hold(dataset, options: Options) -> dict:
    """The showtime lock's hold time, around bookings made here (spread over showtimes)."""
    from bench import box_office
    from bench.dataset import free_seats

    pairs = free_seats(dataset)[-options.lock_bookings :]
    print(f"Timing the showtime lock over {len(pairs)} bookings…", file=sys.stderr)
    return box_office.lock_hold(pairs, _customers(dataset).crowd)


def _race(server, dataset, options: Options) -> dict:
    from bench.dataset import access_tokens, race_seats

    if not options.race_rounds:
        return {"status": "skipped", "reason": "--no-race"}
    tokens = access_tokens(dataset.customer_ids[: options.race_clients])
    probe = load.Target(
        "race",
        "race",
        "POST",
        BOOKING_PATH,
        headers={"Authorization": f"Bearer {tokens[0]}"},
        probe_body=f'{{"session": {dataset.race_showtime}, "seats": []}}',
        probe_ok=(400,),
    )
    reason = load.probe(server.url, probe)
    if reason is not None:
        return {"status": "skipped", "reason": reason}
    print(f"Race: {options.race_rounds} rounds × {len(tokens)} clients…", file=sys.stderr)
    rounds = [
        race.race_round(server.port, session_id=dataset.race_showtime, seat_id=seat, tokens=tokens)
        for seat in race_seats(dataset, options.race_rounds)
    ]
    return race.summarize_rounds(rounds)


def run(options: Options) -> dict:
    wrk = load.wrk_path()
    database_url = _database_url(options.database_name)
    _create_database(database_url, options.database_name)
    with _admin(database_url) as admin:
        postgres_version = admin.execute("SHOW server_version").fetchone()[0]
    # Described before the work starts: the load average then says how busy the machine was.
    machine = results.machine(wrk, postgres_version)
    env = _environment(options, database_url)
    try:
        return _run(options, env, machine)
    finally:
        if options.drop_database:
            _drop_database(database_url, options.database_name)


def _run(options: Options, env: dict[str, str], machine: dict) -> dict:
    # Django reads its settings once, on set-up: this process then works on the benchmark's database.
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench import box_office
    from bench import dataset as data

    call_command("migrate", interactive=False, verbosity=0)
    if not options.smoke:
        _collect_static()
    print("Loading the data set…", file=sys.stderr)
    dataset = data.load(
        future_showtimes=options.future_showtimes,
        past_days=options.past_days,
        users=max(options.users, options.race_clients),
        bookings=options.base_bookings,
    )
    settings = load.Settings(options.duration, options.warmup, options.connections, options.threads)
    found = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "run": {
            "duration": options.duration,
            "warmup": options.warmup,
            "connections": options.connections,
            "threads": min(options.threads, options.connections),
            "smoke": options.smoke,
            "database": options.database_name,
        },
        "machine": machine,
        "phases": [],
        "race": {"status": "skipped", "reason": "not run"},
        "scale_ratios": [],
    }
    with gunicorn(env) as server:
        found["server"] = {"port": server.port, "pid": server.pid}
        found["run"]["workers"] = server.workers()
        found["phases"].append(_measure_phase(server, dataset, options, settings, scaled=False))
        found["race"] = _race(server, dataset, options)
        found["lock"] = _lock_hold(dataset, options)
        if options.scale:
            print(f"Scaling to {options.scale:,} bookings…", file=sys.stderr)
            started = datetime.now(UTC)
            added = data.scale_to(options.scale, customer_ids=dataset.customer_ids)
            seconds = (datetime.now(UTC) - started).total_seconds()
            found["scale"] = {"target": options.scale, "added": added, "seconds": round(seconds, 1)}
            found["phases"].append(_measure_phase(server, dataset, options, settings, scaled=True))
            found["scale_ratios"] = results.scale_ratios(
                found["phases"][0]["rows"], found["phases"][1]["rows"]
            )
        found["memory"] = {"worker_rss_mb": box_office.worker_rss_mb(server.pid)}
    connection.close()
    found["machine"]["load_average_at_end"] = [round(load_, 2) for load_ in os.getloadavg()]
    found["budgets"] = results.budgets(found)
    results.write_json(found, options.output)
    return found
