"""The production cache (`CACHE_URL=redis://…`): Django's Redis cache, failing soft.

What lives in the cache is rebuilt from the database (seat states, prices) or
is a limit worth less than a sale (the registration and password-reset
throttles): with Redis out, a read is a miss and a write is dropped, so
bookings go on. Sessions and login lockouts are in the database, not here.
"""

from __future__ import annotations

import logging
import time
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


class FailSoftRedisCacheClient(RedisCacheClient):
    _last_warning = 0.0

    def _fail_soft(self, operation: str, error: Exception, fallback: Any) -> Any:
        now = time.monotonic()
        if now - FailSoftRedisCacheClient._last_warning >= WARN_EVERY_SECONDS:
            FailSoftRedisCacheClient._last_warning = now
            logger.warning("cache unavailable, serving without it (%s): %s", operation, error)
        return fallback

    def add(self, key, value, timeout):
        try:
            return super().add(key, value, timeout)
        except UNAVAILABLE as error:
            return self._fail_soft("add", error, False)

    def get(self, key, default):
        try:
            return super().get(key, default)
        except UNAVAILABLE as error:
            return self._fail_soft("get", error, default)

    def set(self, key, value, timeout):
        try:
            super().set(key, value, timeout)
        except UNAVAILABLE as error:
            self._fail_soft("set", error, None)

    def touch(self, key, timeout):
        try:
            return super().touch(key, timeout)
        except UNAVAILABLE as error:
            return self._fail_soft("touch", error, False)

    def delete(self, key):
        try:
            return super().delete(key)
        except UNAVAILABLE as error:
            return self._fail_soft("delete", error, False)

    def get_many(self, keys):
        try:
            return super().get_many(keys)
        except UNAVAILABLE as error:
            return self._fail_soft("get_many", error, {})

    def has_key(self, key):
        try:
            return super().has_key(key)
        except UNAVAILABLE as error:
            return self._fail_soft("has_key", error, False)

    def incr(self, key, delta):
        try:
            return super().incr(key, delta)
        except UNAVAILABLE as error:
            # As for a missing key: the caller starts its count afresh.
            self._fail_soft("incr", error, None)
            raise ValueError(f"Key '{key}' not found (the cache is unavailable)") from error

    def set_many(self, data, timeout):
        try:
            return super().set_many(data, timeout)
        except UNAVAILABLE as error:
            return self._fail_soft("set_many", error, [])

    def delete_many(self, keys):
        try:
            return super().delete_many(keys)
        except UNAVAILABLE as error:
            return self._fail_soft("delete_many", error, 0)

    def clear(self):
        try:
            return super().clear()
        except UNAVAILABLE as error:
            return self._fail_soft("clear", error, False)

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
