"""What the box office's rows need, made in this process on the benchmark's
database: logged-in sessions, holds to confirm, the showtime lock's hold time
measured around real bookings, and the workers' memory."""

from __future__ import annotations

import statistics
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.test import Client

from accounts.models import User
from bookings.errors import BookingError
from bookings.models import Ticket
from bookings.services import booking_create, hold_create
from theaters.models import Showtime


def session_cookie(user_id: int) -> str:
    """A `Cookie:` header of a logged-in session of the user (saved where the app reads sessions)."""
    client = Client()
    client.force_login(User.objects.get(pk=user_id))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def make_holds(
    pairs: Iterable[tuple[int, int]], customer_ids: list[int], count: int
) -> list[tuple[int, int]]:
    """Up to `count` one-seat holds of `pairs` (showtime, seat), spread over the
    customers (one hold per customer and showtime: a new one would replace it);
    (customer's index, hold id) each."""
    made: list[tuple[int, int]] = []
    used: set[tuple[int, int]] = set()
    users = list(User.objects.filter(pk__in=customer_ids).order_by("pk"))
    showtimes: dict[int, Showtime] = {}
    for showtime_id, seat_id in pairs:
        index = next((i for i in range(len(users)) if (i, showtime_id) not in used), None)
        if index is None:
            continue
        showtime = showtimes.get(showtime_id) or showtimes.setdefault(
            showtime_id, Showtime.objects.select_related("movie", "room").get(pk=showtime_id)
        )
        try:
            hold = hold_create(user=users[index], showtime=showtime, seat_ids=[seat_id])
        except BookingError:
            continue
        used.add((index, showtime_id))
        made.append((index, hold.pk))
        if len(made) >= count:
            break
    return made


def one_seat_bodies(pairs: list[tuple[int, int]], customer_ids: list[int]) -> list[tuple[int, str]]:
    """One-seat requests for `pairs` (showtime, seat), dealt round the customers (by
    index), each kept within what MAX_SEATS_PER_CUSTOMER leaves them of every showtime:
    a load that met the limit would measure 400s, not bookings. A pair nobody may still
    book is left out."""
    theirs = Counter(
        {
            (customer, showtime_id): seats
            for customer, showtime_id, seats in Ticket.objects.filter(
                showtime_id__in={showtime_id for showtime_id, _ in pairs},
                active=True,
                booking__user_id__in=customer_ids,
            )
            .values_list("booking__user_id", "showtime_id")
            .annotate(Count("pk"))
        }
    )
    bodies = []
    for number, (session, seat) in enumerate(pairs):
        for turn in range(len(customer_ids)):
            index = (number + turn) % len(customer_ids)
            if theirs[customer_ids[index], session] < settings.MAX_SEATS_PER_CUSTOMER:
                theirs[customer_ids[index], session] += 1
                bodies.append((index, f'{{"session": {session}, "seats": [{seat}]}}'))
                break
    return bodies


def lock_hold(pairs: list[tuple[int, int]], customer_ids: list[int]) -> dict:
    """How long a booking holds its showtime's row lock: from the statement that
    takes it to the commit that lets it go, over one-seat bookings of `pairs`."""
    users = list(User.objects.filter(pk__in=customer_ids).order_by("pk"))
    started: list[float] = []
    held: list[float] = []

    def note_lock(execute, sql, params, many, context):
        if sql.startswith("UPDATE") and "seats_version" in sql and "RETURNING" in sql:
            started.append(time.perf_counter())
        return execute(sql, params, many, context)

    commit = connection._commit

    def timed_commit():
        commit()
        if started:
            held.append(time.perf_counter() - started.pop())

    connection._commit = timed_commit
    try:
        with connection.execute_wrapper(note_lock):
            for number, (showtime_id, seat_id) in enumerate(pairs):
                started.clear()
                showtime = Showtime.objects.select_related("movie", "room").get(pk=showtime_id)
                try:
                    booking_create(user=users[number % len(users)], showtime=showtime, seat_ids=[seat_id])
                except BookingError:
                    continue
    finally:
        del connection._commit
    if not held:
        return {"status": "failed", "reason": "no booking went through"}
    held_ms = sorted(seconds * 1000 for seconds in held)
    return {
        "status": "measured",
        "bookings": len(held_ms),
        "median_ms": round(statistics.median(held_ms), 2),
        "p99_ms": round(held_ms[min(len(held_ms) - 1, int(len(held_ms) * 0.99))], 2),
        "ceiling_per_showtime": round(1000 / statistics.median(held_ms)),
    }


def worker_rss_mb(arbiter_pid: int) -> list[float]:
    """Each gunicorn worker's resident memory (Linux's /proc), in MB."""
    try:
        children = Path(f"/proc/{arbiter_pid}/task/{arbiter_pid}/children").read_text().split()
    except OSError:
        return []
    sizes = []
    for pid in children:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        kilobytes = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
        sizes.append(round(kilobytes / 1024, 1))
    return sizes
