"""The task worker: django-tasks-db's, with a heartbeat row and a loop that outlives a database outage."""

from __future__ import annotations

import logging
import os
import socket
import time

from django.db import DatabaseError, OperationalError, close_old_connections, connections
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker as DbWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from jianli.ops.context import request_id
from jianli.ops.models import WorkerHeartbeat

log = logging.getLogger("jianli.worker")
BEAT_SECONDS = 5.0
MAX_PAUSE = 4.0  # back within 5 s of the database returning


class Worker(DbWorker):
    def run(self) -> None:
        log.info("worker %s started", self.worker_id)
        self._last_beat = 0.0
        failures = 0
        while self.running:
            try:
                self.beat()
                ran = self.step()
                failures = 0
            except DatabaseError as e:
                if isinstance(e, OperationalError) and is_locked_database_exception(e):
                    ran = False
                else:
                    failures += 1
                    pause = min(MAX_PAUSE, 0.25 * 2**failures)
                    log.warning("database unavailable (%s); retrying in %.1f s", str(e).strip()[:200], pause)
                    self.drop_connections()
                    time.sleep(pause)
                    continue
            if self.batch and not ran:
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            if self.running and not ran:
                time.sleep(self.interval)

    def step(self) -> bool:
        close_old_connections()
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            task_result = tasks.get_locked()
            if task_result is not None:
                task_result.claim(self.worker_id)
        if task_result is None:
            return False
        with request_id(f"task-{task_result.id}"):
            log.info("task %s %s", task_result.id, task_result.task_path)
            self.run_task(task_result)
        return True

    def beat(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_beat < BEAT_SECONDS:
            return
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={"hostname": socket.gethostname()[:255], "pid": os.getpid(), "beat_at": timezone.now(),
                      "tasks_run": self._run_tasks},
        )
        self._last_beat = now

    @staticmethod
    def drop_connections() -> None:
        for connection in connections.all(initialized_only=True):
            try:
                connection.close()
            except DatabaseError:
                connection.connection = None  # the socket is gone; Django reconnects on next use
