"""Fixed-window counters in the cache (Redis in production), shared by every app server."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import HttpRequest

from jianli.errors import ServiceError
from jianli.net import client_ip


def hit(scope: str, key: str, limit: tuple[int, int]) -> bool:
    """Count one hit; False once the limit (count, seconds) is exceeded in the current window."""
    count, seconds = limit
    window = int(time.time() // seconds)
    cache_key = f"rl:{scope}:{key}:{window}"
    # One write per hit (in the database cache each is a commit): count up a counter that exists, else add it.
    try:
        current = cache.incr(cache_key)
    except ValueError:
        if cache.add(cache_key, 1, seconds + 5):
            current = 1
        else:  # another request added it meanwhile
            try:
                current = cache.incr(cache_key)
            except ValueError:
                cache.set(cache_key, 1, seconds + 5)
                current = 1
    return current <= count


def client_address(request: HttpRequest) -> str:
    """The rate-limit key of the client's address (behind the trusted proxies: see jianli.net)."""
    return client_ip(request) or "unknown"


def enforce(scope: str, key: str, limit: tuple[int, int], message: str) -> None:
    if not hit(scope, key, limit):
        raise ServiceError("rate_limited", message, status=429)
