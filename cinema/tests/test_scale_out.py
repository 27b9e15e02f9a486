"""The production topology on this machine (docker-compose.yml's, README "Scaling"):
a fresh PostgreSQL database, one Redis, two gunicorn instances with production
settings behind HAProxy round-robin (deploy/haproxy.cfg itself), and the task
worker. What one instance does, the other sees at once; the balancer never sells
a seat twice; without Redis the bookings go on.

Every process is this module's own, on free ports of 127.0.0.1, stopped at the end.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, suppress
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest
import yaml
from django.db import connection

from bench.race import race_round
from bench.server import ROOT, free_port, port_answers
from cinema.tests.smtp import SMTPServer

BINARIES = ("haproxy", "redis-server")
READY_TIMEOUT = 60
STOP_TIMEOUT = 10
REQUEST_TIMEOUT = 30
MAIL_TIMEOUT = 20
# Sign-ups per client address across both instances (REGISTER_RATE), and logins a
# wrong password may try (LOGIN_FAILURE_LIMIT): the next one is refused.
REGISTRATIONS = 3
LOGIN_FAILURES = 5
RACERS = 50
FAIL_SOFT_WARNING = "cache unavailable, serving without it"
# docker-compose.yml's commands, which this module runs (python: this interpreter).
WEB_COMMAND = ["gunicorn", "cinema.wsgi", "--config", "gunicorn.conf.py"]
WORKER_COMMAND = ["python", "manage.py", "db_worker", "--no-reload"]
MIGRATE_COMMAND = ["python", "manage.py", "migrate", "--noinput"]
HAPROXY_CONFIG = "deploy/haproxy.cfg"

# The data, made through the services as an operator's shell would, and JWTs minted
# directly: a login per racer would time Argon2, not the balancer.
SEED = """
import json
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from rest_framework_simplejwt.tokens import AccessToken

from accounts.services import user_create
from movies.models import Movie
from theaters.services import room_create, showtime_schedule

PASSWORD = "a-long-queue-2026"
room = room_create(name="Scale Hall", rows=6, seats_per_row=20)
movie = Movie.objects.create(title="The Long Queue", runtime_minutes=100)
# One a day, so that bookings can also be spread over showtimes (no two overlap).
showtimes = [
    showtime_schedule(
        movie=movie, room=room, starts_at=timezone.now() + timedelta(days=day), price=Decimal("10.00")
    )
    for day in range(1, 10)
]
user_create(email="ana@scale.test", name="Ana", password=PASSWORD)
user_create(email="lou@scale.test", name="Lou", password=PASSWORD)
customers = [
    user_create(email=f"customer{n}@scale.test", name=f"Customer {n}", password=None) for n in range(50)
]
print(json.dumps({
    "password": PASSWORD,
    "showtimes": [showtime.pk for showtime in showtimes],
    "seats": list(room.seats.order_by("row", "number").values_list("pk", flat=True)),
    "customers": [[user.email, str(AccessToken.for_user(user))] for user in customers],
}))
"""


class Process:
    """A server of the topology in its own session, its output in `log`."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], logs: Path) -> None:
        self.name, self.log = name, logs / f"{name}.log"
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_until(self, ready: Callable[[], bool]) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        while not ready():
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{self.output()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} was not ready within {READY_TIMEOUT} s:\n{self.output()}")
            time.sleep(0.1)

    def kill(self, sig: signal.Signals = signal.SIGKILL) -> None:
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)

    def stop(self) -> None:
        # The whole group: gunicorn's arbiter and its workers alike.
        for sig in (signal.SIGTERM, signal.SIGKILL):
            if self.process.poll() is not None:
                return
            self.kill(sig)
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                continue


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self):
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode()

    def cookies(self) -> dict[str, str]:
        jar: SimpleCookie = SimpleCookie()
        for header in self.headers.get_all("Set-Cookie") or []:
            jar.load(header)
        return {name: morsel.value for name, morsel in jar.items()}


def call(
    port: int,
    method: str,
    path: str,
    *,
    json_body: object = None,
    form: dict | None = None,
    token: str | None = None,
    cookies: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    headers = dict(headers or {})
    body = None
    if json_body is not None:
        body, headers["Content-Type"] = json.dumps(json_body), "application/json"
    if form is not None:
        body, headers["Content-Type"] = urlencode(form), "application/x-www-form-urlencoded"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        client.request(method, path, body=body, headers=headers)
        response = client.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        client.close()


def answers_http(port: int, path: str = "/healthz") -> Callable[[], bool]:
    def ready() -> bool:
        try:
            return call(port, "GET", path).status == 200
        except OSError:
            return False

    return ready


@dataclass
class Topology:
    app_a: int
    app_b: int
    balancer: int
    redis: Process
    apps: tuple[Process, ...]
    database_url: str
    smtp: SMTPServer
    password: str
    showtimes: list[int]  # the first one is the tests' own: the others, the spread bookings'
    seats: list[int]
    customers: list[tuple[str, str]]  # (email, access token)
    free_seats: Iterator[int]

    def sql(self, query: str, *params) -> int:
        with psycopg.connect(self.database_url.replace("postgres://", "postgresql://", 1)) as db:
            return db.execute(query, params).fetchone()[0]

    @property
    def showtime(self) -> int:
        return self.showtimes[0]

    def tickets(self, seat_ids: list[int], showtime: int | None = None) -> int:
        return self.sql(
            "SELECT count(*) FROM bookings_ticket WHERE showtime_id = %s AND seat_id = ANY(%s) AND active",
            showtime or self.showtime,
            seat_ids,
        )

    def book(self, port: int, token: str, seat: int, showtime: int | None = None) -> Reply:
        body = {"session": showtime or self.showtime, "seats": [seat]}
        return call(port, "POST", "/api/bookings", json_body=body, token=token)

    def seat_states(self, port: int) -> dict[int, bool]:
        reply = call(port, "GET", f"/api/sessions/{self.showtime}")
        assert reply.status == 200, reply.text
        return {seat["id"]: seat["available"] for seat in reply.json()["seats"]}


def _unavailable(reason: str) -> None:
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        pytest.fail(f"REQUIRE_POSTGRES=1 but the scale-out test {reason}")
    pytest.skip(reason)


def _run(env: dict[str, str], command: list[str]) -> str:
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def topology(tmp_path_factory) -> Iterator[Topology]:
    # The PostgreSQL gate of conftest.py is per test; this fixture starts first.
    if connection.vendor != "postgresql":
        _unavailable(f"needs PostgreSQL; the tests run on {connection.vendor}")
    # Debian puts haproxy in /usr/sbin, which a user's PATH may lack.
    found = {name: shutil.which(name, path=f"{os.environ.get('PATH', '')}:/usr/sbin") for name in BINARIES}
    missing = [name for name, path in found.items() if path is None]
    if missing:
        _unavailable(f"needs Debian's {' and '.join(missing)} (apt-get install haproxy redis-server)")

    logs = tmp_path_factory.mktemp("scale-out")
    db = connection.settings_dict
    database = f"{db['NAME']}_scaleout"
    server = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    admin_url = f"{server.replace('postgres://', 'postgresql://', 1)}/postgres"

    # The admin connection outlives the stack: its last callback drops the database.
    with psycopg.connect(admin_url, autocommit=True) as admin, ExitStack() as stack:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{database}"')
        stack.callback(admin.execute, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        smtp = stack.enter_context(SMTPServer())
        redis_port, app_ports, balancer_port = free_port(), (free_port(), free_port()), free_port()
        # docker-compose.yml's environment, with this machine's addresses.
        env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
        env |= {
            "DJANGO_SETTINGS_MODULE": "cinema.settings",
            "DJANGO_DEBUG": "off",
            "DJANGO_HTTPS": "off",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"{server}/{database}",
            "CACHE_URL": f"redis://127.0.0.1:{redis_port}/0",
            "TRUSTED_PROXIES": "1",
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
            "SITE_URL": f"http://127.0.0.1:{balancer_port}",
            # The test's own: limits it can reach, and two workers an instance on two cores.
            "REGISTER_RATE": f"{REGISTRATIONS}/hour",
            "LOGIN_FAILURE_LIMIT": str(LOGIN_FAILURES),
            "WEB_CONCURRENCY": "2",
            "GUNICORN_ACCESSLOG": "",
        }

        def start(name: str, *command: str, extra: dict[str, str] | None = None) -> Process:
            process = Process(name, list(command), env | (extra or {}), logs)
            stack.callback(process.stop)
            return process

        redis = start(
            "redis", found["redis-server"], "--bind", "127.0.0.1", "--port", str(redis_port),
            "--save", "", "--appendonly", "no",
        )  # fmt: skip
        _run(env, [sys.executable, *MIGRATE_COMMAND[1:], "--verbosity", "0"])
        seed = json.loads(
            _run(env, [sys.executable, "manage.py", "shell", "--verbosity", "0", "--command", SEED])
        )
        redis.wait_until(lambda: port_answers(redis_port))
        apps = tuple(
            start(
                name, sys.executable, "-m", *WEB_COMMAND, "--bind", f"127.0.0.1:{port}", "--no-control-socket"
            )
            for name, port in zip(("app1", "app2"), app_ports, strict=True)
        )
        start("worker", sys.executable, *WORKER_COMMAND[1:])
        for app, port in zip(apps, app_ports, strict=True):
            app.wait_until(answers_http(port))
        balancer = start(
            "haproxy", found["haproxy"], "-db", "-f", HAPROXY_CONFIG,
            extra={
                "HAPROXY_BIND": f"127.0.0.1:{balancer_port}",
                "SITE_HOST": "127.0.0.1",
                "APP1": f"127.0.0.1:{app_ports[0]}",
                "APP2": f"127.0.0.1:{app_ports[1]}",
            },
        )  # fmt: skip
        balancer.wait_until(answers_http(balancer_port))
        yield Topology(
            app_a=app_ports[0],
            app_b=app_ports[1],
            balancer=balancer_port,
            redis=redis,
            apps=apps,
            database_url=env["DATABASE_URL"],
            smtp=smtp,
            password=seed["password"],
            showtimes=seed["showtimes"],
            seats=seed["seats"],
            customers=[tuple(pair) for pair in seed["customers"]],
            free_seats=iter(seed["seats"]),
        )


@pytest.mark.postgres
def test_a_login_on_one_instance_is_valid_on_the_other(topology):
    login_page = call(topology.app_a, "GET", "/accounts/login/")
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.text).group(1)
    logged_in = call(
        topology.app_a,
        "POST",
        "/accounts/login/",
        form={"username": "ana@scale.test", "password": topology.password, "csrfmiddlewaretoken": csrf},
        cookies=login_page.cookies(),
    )
    assert logged_in.status == 302, logged_in.text
    session = {"sessionid": logged_in.cookies()["sessionid"]}
    credentials = {"email": "ana@scale.test", "password": topology.password}
    tokens = call(topology.app_a, "POST", "/api/auth/login", json_body=credentials).json()

    assert call(topology.app_b, "GET", "/api/auth/me", cookies=session).json()["email"] == "ana@scale.test"
    assert call(topology.app_b, "GET", "/bookings/", cookies=session).status == 200
    assert call(topology.app_b, "GET", "/bookings/").status == 302  # without it: to the login page
    me = call(topology.app_b, "GET", "/api/auth/me", token=tokens["access"])
    assert me.json()["email"] == "ana@scale.test"


def register(port: int, n: int, headers: dict[str, str] | None = None) -> int:
    body = {"email": f"new{n}@scale.test", "name": f"New {n}", "password": "a-fresh-tangerine-42"}
    return call(port, "POST", "/api/auth/register", json_body=body, headers=headers).status


@pytest.mark.postgres
def test_the_registration_throttle_counts_across_both_instances(topology):
    # Each instance alone has seen at most REGISTRATIONS // 2 + 1 sign-ups by the last one.
    statuses = [register((topology.app_a, topology.app_b)[n % 2], n) for n in range(REGISTRATIONS + 1)]
    # Through the balancer, an address the client wrote is not the one the app counts:
    # HAProxy appends the address it was reached from, and the app trusts that one hop.
    forged = register(topology.balancer, REGISTRATIONS + 1, headers={"X-Forwarded-For": "203.0.113.9"})

    assert statuses == [201] * REGISTRATIONS + [429]
    assert forged == 429
    created = topology.sql("SELECT count(*) FROM accounts_user WHERE email LIKE 'new%%@scale.test'")
    assert created == REGISTRATIONS


@pytest.mark.postgres
def test_the_login_lockout_counts_across_both_instances(topology):
    def login(n: int, password: str) -> int:
        port = (topology.app_a, topology.app_b)[n % 2]
        credentials = {"email": "lou@scale.test", "password": password}
        return call(port, "POST", "/api/auth/login", json_body=credentials).status

    failures = [login(n, "not-the-password") for n in range(LOGIN_FAILURES)]

    assert failures == [401] * LOGIN_FAILURES
    # The right password, on either instance: locked all the same.
    locked = [login(n, topology.password) for n in (LOGIN_FAILURES, LOGIN_FAILURES + 1)]
    assert locked == [429, 429]


def seat_label(page: str, seat: int) -> str:
    """The accessible name of `seat`'s checkbox on a seat map page."""
    return re.search(rf'value="{seat}" aria-label="([^"]+)"', page).group(1)


@pytest.mark.postgres
def test_a_booking_on_one_instance_greys_the_seat_on_the_others_map_at_once(topology):
    seat = next(topology.free_seats)
    _, token = topology.customers[40]
    page = f"/showtimes/{topology.showtime}/"
    # B has the map in its cache first: a cache of its own would now go stale.
    assert not seat_label(call(topology.app_b, "GET", page).text, seat).endswith("(taken)")
    assert topology.seat_states(topology.app_b)[seat] is True

    assert topology.book(topology.app_a, token, seat).status == 201

    assert topology.seat_states(topology.app_b)[seat] is False
    assert seat_label(call(topology.app_b, "GET", page).text, seat).endswith("(taken)")


@pytest.mark.postgres
def test_50_clients_racing_one_seat_through_the_balancer_get_one_booking(topology):
    seat = next(topology.free_seats)

    result = race_round(
        topology.balancer,
        session_id=topology.showtime,
        seat_id=seat,
        tokens=[token for _, token in topology.customers[:RACERS]],
    )

    outcome = {key: result[key] for key in ("winners", "conflicts", "server_errors", "other")}
    assert outcome == {"winners": 1, "conflicts": RACERS - 1, "server_errors": 0, "other": 0}
    assert topology.tickets([seat]) == 1


def book_in_parallel(topology: Topology, plan: list[tuple[int, list[int]]]) -> tuple[list[int], float]:
    """Client n books its seats one by one on showtime plan[n][0], all clients at once,
    through the balancer: their statuses and the bookings per second."""
    statuses: list[int] = []

    def client(n: int) -> None:
        showtime, seats = plan[n]
        _, token = topology.customers[n]
        statuses.extend(topology.book(topology.balancer, token, seat, showtime).status for seat in seats)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(len(plan))]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=READY_TIMEOUT)
    return statuses, len(statuses) / (time.monotonic() - started)


@pytest.mark.postgres
def test_bookings_take_the_showtimes_lock_in_turn_and_all_succeed(topology):
    """Eight clients booking through the balancer, all on one showtime (its row lock
    serializes them), then each on a showtime of its own: README "Scaling" quotes the
    two rates printed."""
    clients, each = 8, 5
    one_showtime = [
        (topology.showtime, [next(topology.free_seats) for _ in range(each)]) for _ in range(clients)
    ]
    spread = [(showtime, topology.seats[:each]) for showtime in topology.showtimes[1 : clients + 1]]

    one_statuses, one_rate = book_in_parallel(topology, one_showtime)
    spread_statuses, spread_rate = book_in_parallel(topology, spread)

    assert one_statuses == spread_statuses == [201] * clients * each
    assert topology.tickets([seat for _, seats in one_showtime for seat in seats]) == clients * each
    assert [topology.tickets(seats, showtime) for showtime, seats in spread] == [each] * clients
    print(
        f"\n{clients} clients, {clients * each} bookings through HAProxy: "
        f"{one_rate:.0f}/s on one showtime, {spread_rate:.0f}/s spread over {clients}"
    )


@pytest.mark.postgres
def test_the_worker_mails_the_booking_confirmation(topology):
    email, token = topology.customers[41]
    booking = topology.book(topology.balancer, token, next(topology.free_seats)).json()

    deadline = time.monotonic() + MAIL_TIMEOUT
    while not any(message["To"] == email for message in topology.smtp.messages):
        assert time.monotonic() < deadline, "no confirmation mail within the timeout"
        time.sleep(0.2)

    [message] = [message for message in topology.smtp.messages if message["To"] == email]
    assert message["Subject"] == "Your tickets for The Long Queue"
    assert booking["code"] in message.get_body(("plain",)).get_content()


@pytest.mark.postgres
def test_with_redis_stopped_bookings_go_on_and_nothing_is_lost(topology):
    """Last: it kills Redis for good."""
    topology.redis.kill()
    topology.redis.process.wait(timeout=STOP_TIMEOUT)
    customers = topology.customers[10:20]
    seats = [next(topology.free_seats) for _ in customers]
    bookings_before = topology.sql("SELECT count(*) FROM bookings_booking")

    statuses = [
        topology.book(topology.balancer, token, seat).status
        for (_, token), seat in zip(customers, seats, strict=True)
    ]
    maps = [topology.seat_states(topology.balancer) for _ in range(2)]  # one per instance, round-robin
    health = call(topology.balancer, "GET", "/healthz")
    # The throttle's count was in Redis: a sign-up goes through on each instance, uncounted.
    sign_ups = [
        call(
            topology.balancer,
            "POST",
            "/api/auth/register",
            json_body={"email": f"later{n}@scale.test", "name": "Later", "password": "a-fresh-tangerine-42"},
        ).status
        for n in range(2)
    ]

    assert statuses == [201] * len(seats)
    assert topology.sql("SELECT count(*) FROM bookings_booking") == bookings_before + len(seats)
    assert topology.tickets(seats) == len(seats)
    assert all(not states[seat] for states in maps for seat in seats)
    assert (health.status, health.json()) == (200, {"status": "degraded", "database": "up", "cache": "down"})
    assert sign_ups == [201, 201]
    for app in topology.apps:
        assert FAIL_SOFT_WARNING in app.output(), app.name


def test_docker_compose_runs_the_topology_of_this_module():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    balancer_variables = set(re.findall(r'"\$\{(\w+)\}"', (ROOT / HAPROXY_CONFIG).read_text()))

    assert [services[name]["command"][: len(WEB_COMMAND)] for name in ("app1", "app2")] == [WEB_COMMAND] * 2
    assert services["worker"]["command"] == WORKER_COMMAND
    assert services["migrate"]["command"] == MIGRATE_COMMAND
    for name in ("app1", "app2", "worker"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert services[name]["environment"]["CACHE_URL"].startswith("redis://")
        assert services[name]["environment"]["TRUSTED_PROXIES"] == "1"
    assert f"./{HAPROXY_CONFIG}:/usr/local/etc/haproxy/haproxy.cfg:ro" in services["haproxy"]["volumes"]
    assert (
        set(services["haproxy"]["environment"])
        == balancer_variables
        == {"HAPROXY_BIND", "SITE_HOST", "APP1", "APP2"}
    )
    assert (services["db"]["image"], services["redis"]["image"]) == ("postgres:15", "redis:7")
