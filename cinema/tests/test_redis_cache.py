"""Production's shared cache (CACHE_URL=redis://…): installed, used, and failing soft.

Redis answers on 127.0.0.1:6379 on these machines; these tests use its
database 7 only. "Redis is out" is a closed port: the same refused connection.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys

import environ
import pytest
from django.core.cache import caches
from django.test import override_settings

from cinema import cache as fail_soft
from cinema.tests.clients import api_client

LIVE_URL = "redis://127.0.0.1:6379/7"


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cache_settings(url: str) -> dict:
    # Through the same parsing and backend swap as cinema/settings.py.
    config = environ.Env.cache_url_config(url)
    assert config["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    return {"default": {**config, "BACKEND": "cinema.cache.FailSoftRedisCache"}}


def redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.fixture
def live_redis():
    if not redis_answers():
        pytest.skip("needs Redis on 127.0.0.1:6379")
    with override_settings(CACHES=cache_settings(LIVE_URL)):
        caches["default"].clear()  # database 7 only
        yield caches["default"]
        caches["default"].clear()


@pytest.fixture
def dead_redis():
    fail_soft.FailSoftRedisCacheClient._last_warning = 0.0
    with override_settings(CACHES=cache_settings(f"redis://127.0.0.1:{closed_port()}/7")):
        yield caches["default"]


def test_settings_turn_a_redis_url_into_the_fail_soft_cache():
    env = {**os.environ, "CACHE_URL": LIVE_URL, "DJANGO_SETTINGS_MODULE": "cinema.settings"}
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"

    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)

    assert done.stdout.strip() == "cinema.cache.FailSoftRedisCache"


def test_it_stores_and_counts_in_redis(live_redis):
    live_redis.set("seat-states:1", {"A1": "sold"}, 30)
    live_redis.set("throttle", 1, 30)

    assert live_redis.get("seat-states:1") == {"A1": "sold"}
    assert live_redis.incr("throttle") == 2
    assert live_redis.get_many(["seat-states:1", "missing"]) == {"seat-states:1": {"A1": "sold"}}
    assert live_redis.answers() is True


def test_with_redis_out_reads_miss_and_writes_are_dropped_with_one_warning(dead_redis, caplog):
    with caplog.at_level(logging.WARNING, logger="cinema.cache"):
        dead_redis.set("key", "value", 30)
        assert dead_redis.get("key", "default") == "default"
        assert dead_redis.get_many(["key"]) == {}
        assert dead_redis.add("key", "value") is False
        with pytest.raises(ValueError):
            dead_redis.incr("key")

    warnings = [r for r in caplog.records if r.name == "cinema.cache"]
    assert len(warnings) == 1
    assert "cache unavailable" in warnings[0].getMessage()
    assert dead_redis.answers() is False


@pytest.mark.django_db
def test_healthz_is_ok_with_redis_and_degraded_without_it(client, live_redis):
    assert client.get("/healthz").json() == {"status": "ok"}

    with override_settings(CACHES=cache_settings(f"redis://127.0.0.1:{closed_port()}/7")):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "up", "cache": "down"}


@pytest.mark.django_db
def test_registration_is_throttled_through_redis(live_redis, settings):
    settings.REGISTER_RATE = "2/hour"
    client = api_client()
    statuses = [client.post("/api/auth/register", {}, format="json").status_code for _ in range(3)]

    assert statuses == [400, 400, 429]


@pytest.mark.django_db
def test_with_redis_out_registration_and_booking_still_work(dead_redis):
    from bookings.models import Booking
    from bookings.tests.factories import seat_ids
    from theaters.tests.factories import ShowtimeFactory

    client = api_client()
    registered = client.post(
        "/api/auth/register",
        {"email": "new@example.com", "password": "a-long-passphrase-42", "name": "New"},
        format="json",
    )
    assert registered.status_code == 201
    tokens = client.post(
        "/api/auth/login", {"email": "new@example.com", "password": "a-long-passphrase-42"}, format="json"
    )
    assert tokens.status_code == 200
    showtime = ShowtimeFactory()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens.json()['access']}")

    booked = client.post(
        "/api/bookings", {"session": showtime.pk, "seats": seat_ids(showtime, "A1")}, format="json"
    )
    seat_map = client.get(f"/api/sessions/{showtime.pk}").json()

    assert booked.status_code == 201
    assert Booking.objects.filter(showtime=showtime).count() == 1
    taken = [seat["label"] for seat in seat_map["seats"] if not seat["available"]]
    assert taken == ["A1"]
