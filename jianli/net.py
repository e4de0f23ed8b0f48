"""The client's address, the one way every rate limit, the audit log and django-axes read it."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The address of the client, seen through JIANLI_TRUSTED_PROXY_COUNT proxies of our own.

    Each proxy appends the address it was connected from to X-Forwarded-For, so only the last N entries were
    written by our proxies and the N-th from the right is the client; anything left of it is what the client
    chose to send. Without trusted proxies the header is ignored: it is just a header the client wrote.
    """
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    hops = settings.JIANLI_TRUSTED_PROXY_COUNT
    if hops <= 0:
        return peer
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < hops:
        # Not through all of our proxies (or one of them is misconfigured): the peer is all we know.
        return peer
    return _address(forwarded[-hops]) or peer
