"""Reads of accounts for the hot paths."""

from __future__ import annotations

from functools import cache

from accounts.models import User
from cinema.ids import MAX_ID
from cinema.prepared import QueryShape

# A stand-in no id of the query can equal (QueryShape).
_ID_STAND_IN = MAX_ID - 1


@cache
def _user_read() -> QueryShape:
    return QueryShape.of(User.objects.filter(pk=_ID_STAND_IN), {"user": _ID_STAND_IN})


def user_by_id(user_id: int) -> User | None:
    """The user with that id, or None: 1 query (none for an id no user can have).
    Every logged-in request asks it, so the statement is compiled once: the ORM's
    `get(pk=…)` builds it afresh each time, about twice what PostgreSQL then takes."""
    if not 0 < user_id <= MAX_ID:
        return None
    found = _user_read().prepared(user=user_id).instances()
    return found[0] if found else None
