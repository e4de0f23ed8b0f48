"""/healthz answers while the process lives; /readyz names each dependency and fails on a missing worker."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jianli.ops.models import WorkerHeartbeat

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_healthz_answers_without_touching_anything(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_checks_database_cache_and_storage(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/readyz")
    assert r.status_code == 200, r.json()
    assert set(r.json()["checks"]) == {"database", "cache", "storage"}
    assert all(c["ok"] for c in r.json()["checks"].values())


@pytest.mark.django_db
def test_readyz_fails_without_a_worker_heartbeat(client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = DB_TASKS
    r = client.get("/readyz")
    assert r.status_code == 503
    assert r.json()["checks"]["worker"] == {"ok": False, "error": "RuntimeError: no task worker has reported",
                                            "ms": r.json()["checks"]["worker"]["ms"]}
    WorkerHeartbeat.objects.create(worker_id="w1", hostname="h", pid=1, beat_at=timezone.now())
    assert client.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_readyz_fails_on_a_stale_heartbeat(client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = DB_TASKS
    settings.JIANLI_WORKER_STALE_SECONDS = 60
    WorkerHeartbeat.objects.create(
        worker_id="w1", hostname="h", pid=1, beat_at=timezone.now() - dt.timedelta(seconds=90)
    )
    r = client.get("/readyz")
    assert r.status_code == 503 and "heartbeat" in r.json()["checks"]["worker"]["error"]


@pytest.mark.django_db
def test_readyz_fails_when_storage_cannot_be_written(client, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file where the media folder should be")
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": blocked}}}
    r = client.get("/readyz")
    assert r.status_code == 503 and not r.json()["checks"]["storage"]["ok"]
