"""Rendered responses kept per process: the same bytes and ETag for the same
key, gone once their time is up or when the cache is full."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.test import RequestFactory

from cinema.rendered import RenderedCache

NOW = datetime(2026, 12, 2, 18, 0, tzinfo=UTC)


def test_an_entry_serves_until_its_time_is_up():
    cache = RenderedCache(4)
    cache.put("seat map", b"<html>", "text/html", valid_until=NOW + timedelta(minutes=5))

    assert cache.get("seat map", NOW).body == b"<html>"
    assert cache.get("seat map", NOW + timedelta(minutes=5)) is None


def test_the_least_recently_used_goes_when_it_is_full():
    cache = RenderedCache(2)
    for key in ("a", "b"):
        cache.put(key, key.encode(), "text/plain", None)
    cache.get("a", NOW)
    cache.put("c", b"c", "text/plain", None)

    assert cache.get("b", NOW) is None
    assert cache.get("a", NOW) is not None and cache.get("c", NOW) is not None


def test_the_etag_names_the_key_alike_in_every_process_and_a_match_is_a_304():
    first, second = RenderedCache(2), RenderedCache(2)
    key = (7, (3, NOW, "scheduled"), "en")

    etag = first.put(key, b"{}", "application/json", None).etag
    assert second.put(key, b"{}", "application/json", None).etag == etag
    assert first.put((7, (4, NOW, "scheduled"), "en"), b"{}", "application/json", None).etag != etag

    rendered = first.get(key, NOW)
    fresh = rendered.response(RequestFactory().get("/"))
    again = rendered.response(RequestFactory().get("/", HTTP_IF_NONE_MATCH=etag))
    assert (fresh.status_code, fresh.content, fresh["ETag"]) == (200, b"{}", etag)
    assert (again.status_code, again.content, again["ETag"]) == (304, b"", etag)
