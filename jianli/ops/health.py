"""Readiness: each dependency the service needs, checked quickly, with the reason when one is not there."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connections
from django.utils import timezone

from jianli.ops.models import WorkerHeartbeat


def check_database(alias: str = "default") -> dict[str, Any]:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
    return {}


def check_replica() -> dict[str, Any]:
    """Lag of the read replica in seconds (0 when it has replayed all it received)."""
    connection = connections["replica"]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("SELECT 1")
            return {"lag_seconds": 0.0}
        cursor.execute(
            "SELECT CASE WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
            " ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
        )
        lag = float(cursor.fetchone()[0])
    if lag > settings.JIANLI_REPLICA_MAX_LAG:
        raise RuntimeError(f"replica {lag:.1f} s behind (limit {settings.JIANLI_REPLICA_MAX_LAG} s)")
    return {"lag_seconds": round(lag, 3)}


def check_cache() -> dict[str, Any]:
    key, value = f"readyz:{uuid.uuid4().hex}", "1"
    cache.set(key, value, 10)
    if cache.get(key) != value:
        raise RuntimeError("cache did not return what was stored")
    cache.delete(key)
    return {}


def check_storage() -> dict[str, Any]:
    name = default_storage.save(f"readyz/{uuid.uuid4().hex}", ContentFile(b"ok"))
    default_storage.delete(name)
    return {}


def check_worker() -> dict[str, Any]:
    latest = WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
    if latest is None:
        raise RuntimeError("no task worker has reported")
    age = (timezone.now() - latest).total_seconds()
    if age > settings.JIANLI_WORKER_STALE_SECONDS:
        raise RuntimeError(f"last worker heartbeat {age:.0f} s ago")
    return {"heartbeat_age_seconds": round(age, 1)}


def checks() -> dict[str, Callable[[], dict[str, Any]]]:
    found: dict[str, Callable[[], dict[str, Any]]] = {"database": check_database}
    if "jianli.replica.ReplicaRouter" in settings.DATABASE_ROUTERS:  # a replica the pages read
        found["replica"] = check_replica
    found["cache"] = check_cache
    found["storage"] = check_storage
    if settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db"):
        found["worker"] = check_worker
    return found


def readiness() -> tuple[bool, dict[str, Any]]:
    results: dict[str, Any] = {}
    for name, check in checks().items():
        started = time.monotonic()
        try:
            result = {"ok": True, **check()}
        except Exception as e:  # noqa: BLE001 — any failure of a dependency is an answer, not an error
            result = {"ok": False, "error": f"{type(e).__name__}: {e}"[:300]}
        result["ms"] = round((time.monotonic() - started) * 1000, 1)
        results[name] = result
    return all(r["ok"] for r in results.values()), results
