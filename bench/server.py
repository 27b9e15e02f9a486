"""Serve the app with gunicorn, as production does, for the length of a `with` block."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The framework floor's URL, served beside the project by bench/wsgi.py.
BARE_PATH = "/bench/bare"
READY_TIMEOUT = 60
STOP_TIMEOUT = 10


class ServerError(RuntimeError):
    pass


@dataclass
class Server:
    url: str
    port: int
    pid: int

    def workers(self) -> int | None:
        """How many workers the arbiter runs (Linux's /proc); None where that is unknown."""
        try:
            return len(Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text().split())
        except OSError:
            return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def _ready(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/ping")
        connection.getresponse().read()
    except OSError:
        return False
    finally:
        connection.close()
    return True  # any answer at all: the workers are up


def _tail(path: str, lines: int = 30) -> str:
    return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])


def _stop(process: subprocess.Popen) -> None:
    # gunicorn runs in its own session: signal the whole group, arbiter and workers.
    for sig, wait in ((signal.SIGTERM, STOP_TIMEOUT), (signal.SIGKILL, STOP_TIMEOUT)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


@contextmanager
def gunicorn(env: dict[str, str]) -> Iterator[Server]:
    """gunicorn with the project's config on a free port of 127.0.0.1; always stopped afterwards."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "bench.wsgi",
        "--config",
        "gunicorn.conf.py",
        "--bind",
        f"127.0.0.1:{port}",
        "--no-control-socket",
    ]
    with tempfile.NamedTemporaryFile("w+", prefix="bench-gunicorn-", suffix=".log", delete=False) as log:
        log_path = log.name
    try:
        with open(log_path, "w") as log:
            process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            deadline = time.monotonic() + READY_TIMEOUT
            while not _ready(port):
                if process.poll() is not None:
                    raise ServerError(f"gunicorn exited with {process.returncode}:\n{_tail(log_path)}")
                if time.monotonic() > deadline:
                    raise ServerError(f"gunicorn did not answer within {READY_TIMEOUT} s:\n{_tail(log_path)}")
                time.sleep(0.2)
            yield Server(url=f"http://127.0.0.1:{port}", port=port, pid=process.pid)
        finally:
            _stop(process)
    finally:
        os.unlink(log_path)
