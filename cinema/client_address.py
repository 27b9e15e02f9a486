"""The client's address, as the throttles, the login lockout (django-axes) and
anything else that counts per client see it. A leaf module: it imports no app."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The socket's address, or with `TRUSTED_PROXIES` = N, the Nth address from the
    right of X-Forwarded-For: each trusted proxy appends the address it was
    reached from, and anything further left is whatever the client wrote.

    A request with fewer entries than trusted hops did not come through all the
    proxies, so it, like an entry that is not an address, gets the socket's.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXIES
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < hops:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-hops]))
    except ValueError:
        return remote
