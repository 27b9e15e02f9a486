"""The production cache (`CACHE_URL=redis://…`): Django's Redis cache, failing soft.

What lives in the cache is rebuilt from the database (seat states, prices) or
is a limit worth less than a sale (the registration and password-reset
throttles): with Redis out, a read is a miss and a write is dropped, so
bookings go on. Sessions and login lockouts are in the database, not here.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("cinema.cache")

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)
# One warning per process this often while Redis is out, not one per request.
WARN_EVERY_SECONDS = 60
# A dead Redis host must cost a request milliseconds, not the OS's connect timeout.
SOCKET_TIMEOUT_SECONDS = 0.25


def _failing_soft(name: str, fallback: Callable[..., Any]) -> Callable[..., Any]:
    """RedisCacheClient's `name`, answering `fallback(*args)` when Redis is out."""
    method = getattr(RedisCacheClient, name)

    @functools.wraps(method)
    def failing_soft(self: FailSoftRedisCacheClient, *args: Any) -> Any:
        try:
            return method(self, *args)
        except UNAVAILABLE as error:
            self.warn_now_and_then(name, error)
            return fallback(*args)

    return failing_soft


def _nothing(*args: Any) -> None:
    return None


def _no(*args: Any) -> bool:
    return False


class FailSoftRedisCacheClient(RedisCacheClient):
    _last_warning = 0.0

    @classmethod
    def warn_now_and_then(cls, operation: str, error: Exception) -> None:
        now = time.monotonic()
        if now - cls._last_warning >= WARN_EVERY_SECONDS:
            cls._last_warning = now
            logger.warning("cache unavailable, serving without it (%s): %s", operation, error)

    # As if the cache were empty and took nothing in.
    get = _failing_soft("get", lambda key, default: default)
    get_many = _failing_soft("get_many", lambda keys: {})
    has_key = _failing_soft("has_key", _no)
    add = _failing_soft("add", _no)
    set = _failing_soft("set", _nothing)
    set_many = _failing_soft("set_many", lambda data, timeout: [])
    touch = _failing_soft("touch", _no)
    delete = _failing_soft("delete", _no)
    delete_many = _failing_soft("delete_many", lambda keys: 0)
    clear = _failing_soft("clear", _no)

    def incr(self, key, delta):
        try:
            return super().incr(key, delta)
        except UNAVAILABLE as error:
            # As for a missing key: the caller starts its count afresh.
            self.warn_now_and_then("incr", error)
            raise ValueError(f"Key '{key}' not found (the cache is unavailable)") from error

    def answers(self) -> bool:
        try:
            return bool(self.get_client().ping())
        except UNAVAILABLE:
            return False


class FailSoftRedisCache(RedisCache):
    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        options.setdefault("socket_connect_timeout", SOCKET_TIMEOUT_SECONDS)
        options.setdefault("socket_timeout", SOCKET_TIMEOUT_SECONDS)
        super().__init__(server, params)
        self._class = FailSoftRedisCacheClient

    def answers(self) -> bool:
        """Whether Redis answers a PING now (for /healthz)."""
        return self._cache.answers()
