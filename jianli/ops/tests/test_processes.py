"""The processes as an operator runs them: real subprocesses, real signals, a real database outage."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from jianli.notifications.models import Message
from jianli.notifications.services import queue
from jianli.ops.models import WorkerHeartbeat

ROOT = Path(__file__).resolve().parents[3]


def wait_for(predicate, seconds: float):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    return predicate()


def children_of(pid: int) -> set[int]:
    found = set()
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(pid) and not fields.get("State", "").startswith("Z"):
            found.add(int(status.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        return not Path(f"/proc/{pid}/status").read_text().split("State:\t")[1].startswith("Z")
    except (OSError, IndexError):
        return False


@pytest.mark.django_db(transaction=True)
def test_the_worker_comes_back_after_the_database_drops_it_and_delivers(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("ends PostgreSQL backends")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    db = connection.settings_dict
    env = {**os.environ, "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
           "JIANLI_SMS_PROVIDER": "console", "JIANLI_DB_CONN_MAX_AGE": "600"}
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen([sys.executable, "-m", "jianli", "worker", "--interval", "0.2", "--no-startup-delay"],
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        assert wait_for(lambda: WorkerHeartbeat.objects.exists(), 30), (tmp_path / "worker.log").read_text()
        # The outage: every connection of the worker's is ended, again and again, for two seconds.
        outage_end, ended = time.monotonic() + 2, 0
        while time.monotonic() < outage_end:
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
                               " WHERE datname = current_database() AND pid <> pg_backend_pid()")
                ended += cursor.fetchone()[0]
            time.sleep(0.05)
        assert ended, "the worker held no connection to end"
        back = timezone.now()
        message = queue(mobile="13800138000", text="恢复后送出", recipient="r")
        assert wait_for(lambda: Message.objects.get(pk=message.pk).status == Message.Status.SENT, 8), (
            (tmp_path / "worker.log").read_text())
        assert worker.poll() is None
        assert wait_for(lambda: WorkerHeartbeat.objects.filter(beat_at__gt=back).exists(), 8)
    finally:
        worker.terminate()
        worker.wait(10)


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="runs once, in the SQLite pass")
def test_serve_production_restarts_a_dead_child_and_stops_them_all(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "PYTEST", "DJANGO_"))}
    env.update(JIANLI_VAR_DIR=str(tmp_path / "var"), JIANLI_LOG_LEVEL="WARNING")
    log = (tmp_path / "serve.log").open("w")
    serve = subprocess.Popen([sys.executable, "-m", "jianli", "serve", "--production", "--addr",
                              f"127.0.0.1:{port}", "--workers", "1"], cwd=ROOT, env=env, stdout=log,
                             stderr=subprocess.STDOUT)

    def healthy() -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                return r.status == 200
        except OSError:
            return False

    try:
        assert wait_for(healthy, 60), (tmp_path / "serve.log").read_text()
        children = wait_for(lambda: len(children_of(serve.pid)) == 3 and children_of(serve.pid), 10)
        assert children, (tmp_path / "serve.log").read_text()
        grandchildren = {g for c in children for g in children_of(c)}
        victim = min(children)
        os.kill(victim, signal.SIGKILL)
        assert wait_for(lambda: len(children_of(serve.pid) - {victim}) == 3, 10)
        children = children_of(serve.pid)
        grandchildren |= {g for c in children for g in children_of(c)}
    finally:
        serve.send_signal(signal.SIGTERM)
        code = serve.wait(30)
    assert code == 0
    assert not [pid for pid in children | grandchildren if alive(pid)]
