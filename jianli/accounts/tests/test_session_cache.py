"""With Redis (production), a page reads its session from the cache, not the database; signing out ends the
session in both, and a session the cache has lost is read from the database again. Runs against the machine's
Redis (127.0.0.1:6379, database 13)."""

from __future__ import annotations

import socket

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from jianli.portal.tests.test_progress import make_person
from jianli.registrations.models import State
from jianli.testing import cast

REDIS = "redis://127.0.0.1:6379/13"


def redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not redis_up(), reason="needs Redis on 127.0.0.1:6379"),
]


@pytest.fixture
def redis_sessions():  # type: ignore[no-untyped-def]
    caches = {"default": {"BACKEND": "jianli.redis_cache.RedisCache", "LOCATION": REDIS,
                          "KEY_PREFIX": "test-sessions"}}
    with override_settings(CACHES=caches, SESSION_ENGINE="jianli.accounts.session_store_cached"):
        cache.clear()
        yield
        cache.clear()


def session_reads(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "django_session" in q["sql"]]


def test_a_page_reads_the_session_from_redis_and_signing_out_ends_it_everywhere(redis_sessions) -> None:  # type: ignore[no-untyped-def]
    person = make_person()
    application = cast.application(State.IN_REVIEW, person=person)
    client = Client()
    cast.sign_in(client, person)
    page = f"/progress/{application.pk}/"
    client.get(page)  # the first view renews the session (a write to both)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(page).status_code == 200
    assert session_reads(captured) == []

    key = client.cookies["sessionid"].value
    cache.delete(f"django.contrib.sessions.cached_db{key}")  # Redis lost it (restart, eviction)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(page).status_code == 200  # still signed in: read from the database
    assert len(session_reads(captured)) == 1
    assert cache.get(f"django.contrib.sessions.cached_db{key}")["applicant_id"] == person.pk  # and cached again

    stolen = Client()
    stolen.cookies["sessionid"] = key
    client.post("/signout/")
    assert cache.get(f"django.contrib.sessions.cached_db{key}") is None
    response = stolen.get(page)
    assert response.status_code == 302 and "/progress/" not in response["Location"]  # the old cookie opens nothing


def test_the_cache_keeps_one_redis_client_and_it_works(redis_sessions) -> None:  # type: ignore[no-untyped-def]
    cache.set("answer", {"n": 42})
    assert cache.get("answer") == {"n": 42}
    assert cache.add("count", 1) and cache.incr("count") == 2
    assert cache._cache.get_client(write=True) is cache._cache.get_client()  # type: ignore[attr-defined]
