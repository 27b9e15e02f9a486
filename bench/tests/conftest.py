"""A stand-in HTTP server, so the load scripts and the race are checked before the real endpoints exist."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class BookingStub(ThreadingHTTPServer):
    """Answers POST /api/bookings like the API: 201 for free seats, 409 for taken ones."""

    daemon_threads = True
    request_queue_size = 256  # the race opens 50 connections at once

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.sold: set[tuple[int, int]] = set()
        self.received: list[dict] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: BookingStub

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        seats = {(body["session"], seat) for seat in body["seats"]}
        with self.server.lock:
            self.server.received.append({**body, "authorization": self.headers["Authorization"]})
            free = not seats & self.server.sold
            self.server.sold |= seats
        status = 201 if free and seats else 409 if seats else 400
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:  # no other route: what an endpoint not built yet answers
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args) -> None:  # quiet
        pass


@pytest.fixture
def booking_stub() -> Iterator[BookingStub]:
    server = BookingStub()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
