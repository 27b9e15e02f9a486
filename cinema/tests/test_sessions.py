"""The session engine (cinema/sessions.py) reads what Django's database sessions read."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangosSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from cinema.sessions import SessionStore

pytestmark = pytest.mark.django_db


def saved_session(**data) -> str:
    session = SessionStore()
    session.update(data)
    session.save()
    return session.session_key


def test_it_is_the_engine_in_use():
    assert settings.SESSION_ENGINE == "cinema.sessions"


def test_a_saved_session_loads_as_djangos_store_loads_it_in_one_query(django_assert_num_queries):
    key = saved_session(cart=[1, 2], language="pt-pt")

    with django_assert_num_queries(1):
        loaded = SessionStore(key).load()

    assert loaded == DjangosSessionStore(key).load() == {"cart": [1, 2], "language": "pt-pt"}


def test_each_load_reads_the_session_as_it_is_now():
    key = saved_session(step=1)
    assert SessionStore(key).load() == {"step": 1}
    session = SessionStore(key)
    session["step"] = 2
    session.save()

    assert SessionStore(key).load() == {"step": 2}


@pytest.mark.parametrize("known", [True, False], ids=["expired", "unknown"])
def test_an_expired_or_unknown_session_loads_empty_and_is_saved_under_a_new_key(known):
    key = saved_session(user="someone") if known else "nosuchsessionkeyatall0123456789"
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    session = SessionStore(key)

    assert session.load() == {}
    assert session.session_key is None
    session["fresh"] = True
    session.save()
    assert session.session_key != key
