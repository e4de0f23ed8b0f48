from __future__ import annotations

from django.db import models
from django.utils import timezone


class WorkerHeartbeat(models.Model):
    """One row per task worker, touched every few seconds while its loop runs (read by /readyz)."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.IntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    beat_at = models.DateTimeField(default=timezone.now, db_index=True)
    tasks_run = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "任务进程心跳"

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}"
