"""Helpers for page tests."""

from __future__ import annotations

import re

_CSRF_VALUE = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


def page_without_csrf(response) -> bytes:
    """A page's bytes without its CSRF token (every page's footer has the language form),
    which is masked anew in each response: two answers that should be alike compare equal."""
    return _CSRF_VALUE.sub(b'name="csrfmiddlewaretoken"', response.content)
