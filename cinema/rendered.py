"""Responses rendered once and served as bytes while what they were made of is unchanged.

A kernel module (it imports no app). The key is what the response is made of
(a row read with the request, its version, the language): an entry is never
stale, only unused, as long as every change to that data changes the key.
Per process, like the seat states it sits on (bookings/selectors.py), and
bounded (least recently used goes first).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified


@dataclass(frozen=True)
class Rendered:
    body: bytes
    content_type: str
    etag: str
    valid_until: datetime | None  # e.g. when the first hold it shows expires

    def is_current(self, now: datetime) -> bool:
        return self.valid_until is None or now < self.valid_until

    def response(self, request: HttpRequest) -> HttpResponse:
        """The bytes, or a 304 to a client that has them (If-None-Match)."""
        if request.headers.get("If-None-Match") == self.etag:
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(self.body, content_type=self.content_type)
        response["ETag"] = self.etag
        return response


class RenderedCache:
    def __init__(self, size: int):
        self.size = size
        self._entries: OrderedDict[Hashable, Rendered] = OrderedDict()

    def get(self, key: Hashable, now: datetime) -> Rendered | None:
        entry = self._entries.get(key)
        if entry is None or not entry.is_current(now):
            return None
        self._entries.move_to_end(key)
        return entry

    def put(self, key: Hashable, body: bytes, content_type: str, valid_until: datetime | None) -> Rendered:
        # repr() of the key's parts (ints, strings, datetimes, decimals) is the
        # same in every process, so every worker names the same bytes alike.
        digest = hashlib.blake2b(f"{key!r}|{valid_until!r}".encode(), digest_size=12).hexdigest()
        entry = self._entries[key] = Rendered(body, content_type, f'"{digest}"', valid_until)
        self._entries.move_to_end(key)
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)
        return entry

    def clear(self) -> None:
        self._entries.clear()
