"""The race round: many clients POST the same seat at the same instant; exactly one may win."""

from __future__ import annotations

import http.client
import json
import threading
from collections import Counter

BOOKING_PATH = "/api/bookings"


def _client(port: int, body: str, token: str, start: threading.Barrier, statuses: list, index: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.connect()  # connect first, so the barrier releases requests, not handshakes
        start.wait()
        connection.request(
            "POST",
            BOOKING_PATH,
            body=body,
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        )
        response = connection.getresponse()
        response.read()
        statuses[index] = response.status
    except (OSError, threading.BrokenBarrierError) as error:
        statuses[index] = type(error).__name__
    finally:
        connection.close()


def race_round(port: int, *, session_id: int, seat_id: int, tokens: list[str]) -> dict:
    """One round: len(tokens) clients, one connection and one user each, for one seat."""
    body = json.dumps({"session": session_id, "seats": [seat_id]})
    start = threading.Barrier(len(tokens), timeout=30)
    statuses: list = [None] * len(tokens)
    clients = [
        threading.Thread(target=_client, args=(port, body, token, start, statuses, index))
        for index, token in enumerate(tokens)
    ]
    for client in clients:
        client.start()
    for client in clients:
        client.join(timeout=90)
    counts = Counter(statuses)
    winners = counts[201]
    conflicts = counts[409]
    server_errors = sum(
        count for status, count in counts.items() if isinstance(status, int) and status >= 500
    )
    other = len(tokens) - winners - conflicts - server_errors
    return {
        "seat": seat_id,
        "clients": len(tokens),
        "winners": winners,
        "conflicts": conflicts,
        "server_errors": server_errors,
        "other": other,
        "statuses": {str(status): count for status, count in counts.items()},
        "ok": winners == 1 and conflicts == len(tokens) - 1,
    }


def summarize_rounds(rounds: list[dict]) -> dict:
    return {
        "status": "measured",
        "rounds": rounds,
        "clients": rounds[0]["clients"] if rounds else 0,
        "winners": [r["winners"] for r in rounds],
        "conflicts": sum(r["conflicts"] for r in rounds),
        "server_errors": sum(r["server_errors"] for r in rounds),
        "other": sum(r["other"] for r in rounds),
        "ok": bool(rounds) and all(r["ok"] for r in rounds),
    }
