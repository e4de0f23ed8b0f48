"""Periodic jobs, run by `jianli scheduler` (one per deployment; every job is safe to run twice)."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, close_old_connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jianli.notifications.tasks import retry_due
from jianli.ops.models import WorkerHeartbeat
from jianli.registrations.expiry import run_daily

log = logging.getLogger("jianli.scheduler")


def retry_messages() -> str:
    """Messages whose backoff time has come, and ones a dead worker claimed, go back to the queue."""
    return f"{retry_due()} messages queued"


def retention() -> str:
    call_command("api_purge", verbosity=0)
    now = timezone.now()
    tasks, _ = DBTaskResult.objects.finished().filter(finished_at__lt=now - dt.timedelta(days=7)).delete()
    beats, _ = WorkerHeartbeat.objects.filter(beat_at__lt=now - dt.timedelta(days=1)).delete()
    return f"task results {tasks}, heartbeats {beats}"


def registration_expiry() -> str:
    return run_daily()


@dataclass
class Job:
    name: str
    every: float
    run: Callable[[], str]
    due: float = 0.0


def jobs() -> list[Job]:
    return [
        Job("retry_messages", settings.JIANLI_SCHEDULER_RETRY_SECONDS, retry_messages),
        Job("retention", 3600, retention),
        # Hourly, so a day is never missed; each run does only what today still needs.
        Job("registration_expiry", 3600, registration_expiry),
    ]


def run_forever(*, tick: float = 1.0, once: bool = False) -> None:
    schedule = jobs()
    while True:
        now = time.monotonic()
        for job in schedule:
            if now < job.due:
                continue
            close_old_connections()
            try:
                log.info("%s: %s", job.name, job.run())
                job.due = now + job.every
            except DatabaseError as e:
                log.warning("%s: database unavailable (%s); retrying", job.name, str(e).strip()[:200])
                job.due = now + min(job.every, 5)
        if once:
            return
        time.sleep(tick)
