"""Our counters beside django-prometheus's: transitions by action, face checks by outcome, SMS by status."""

from __future__ import annotations

from django_tasks_db.models import DBTaskResult
from prometheus_client import Counter, Gauge

from jianli.notifications.models import Message

transitions = Counter("jianli_transitions_total", "Workflow transitions fired", ["action"])
face_checks = Counter("jianli_face_checks_total", "Face verifications finished", ["outcome", "provider"])
sms = Counter("jianli_sms_total", "SMS delivery attempts and receipts", ["status"])
queue_depth = Gauge("jianli_queue_depth", "Work waiting", ["queue"], multiprocess_mode="max")


def sample_queue_depth() -> None:
    queue_depth.labels("messages").set(Message.objects.filter(status=Message.Status.QUEUED).count())
    queue_depth.labels("tasks").set(DBTaskResult.objects.ready().count())
