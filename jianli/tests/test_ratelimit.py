"""Rate-limit counters in the database cache (JIANLI_CACHE=database, where there is no Redis)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jianli import ratelimit

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_cache(settings):  # type: ignore[no-untyped-def]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "test_rl"}}
    call_command("createcachetable", verbosity=0)
    yield
    cache.close()


def test_the_limit_holds_in_the_database_cache(database_cache):
    assert [ratelimit.hit("t", "k", (3, 60)) for _ in range(5)] == [True, True, True, False, False]
    assert ratelimit.hit("t", "other", (3, 60))


def writes(action) -> list[str]:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as done:
        action()
    return [q["sql"].split()[0] for q in done.captured_queries if q["sql"].split()[0] in ("INSERT", "UPDATE")]


def test_a_hit_writes_its_counter_once(database_cache):
    # Each write is a commit (a disk flush) in a request: the face check's finish counts two of these.
    assert writes(lambda: ratelimit.hit("t", "k", (3, 60))) == ["INSERT"]
    assert writes(lambda: ratelimit.hit("t", "k", (3, 60))) == ["UPDATE"]
