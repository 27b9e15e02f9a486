"""Django's database sessions, each request's read sent as a statement compiled once.

A logged-in request reads its session before anything else, and the ORM builds
that query afresh every time: about twice what PostgreSQL takes to answer it
(cinema/prepared.py). The table, the format and the expiry are Django's.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

from django.contrib.sessions.backends import db
from django.contrib.sessions.base_session import AbstractBaseSession
from django.utils import timezone

from cinema.prepared import QueryShape

# Stand-ins no session key or expiry of the query can equal (QueryShape).
_KEY_STAND_IN = "stand-in session key"
_NOW_STAND_IN = datetime(1901, 2, 3, 4, 5, 6, 789, tzinfo=UTC)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> AbstractBaseSession | None:
        found = _session_read().prepared(key=self.session_key, now=timezone.now()).instances()
        if not found:  # none, or expired: as Django's, the key is dropped for a new one
            self._session_key = None
            return None
        return found[0]


@cache
def _session_read() -> QueryShape:
    unexpired = SessionStore.get_model_class().objects.filter(
        session_key=_KEY_STAND_IN, expire_date__gt=_NOW_STAND_IN
    )
    return QueryShape.of(unexpired, {"key": _KEY_STAND_IN, "now": _NOW_STAND_IN})
