from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from jianli.notifications.models import Message
from jianli.notifications.sms import TransportError, get_sms_provider
from jianli.ops import metrics
from jianli.ops.context import current_request_id, request_id

log = logging.getLogger("jianli.sms")
MAX_ATTEMPTS = 6


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=30 * 2 ** (attempts - 1))


def lease() -> dt.timedelta:
    """How long a claim keeps other workers off a message: longer than a send may take (the provider's timeout).
    A worker that died holding one (killed, or its database restarted) leaves it to `jianli scheduler` after that."""
    return dt.timedelta(seconds=3 * settings.JIANLI_PROVIDER_TIMEOUT)


def claim(message_id: int, now: dt.datetime) -> bool:
    """A conditional UPDATE, committed before the send: two workers never both send a message."""
    return bool(Message.objects.filter(
        pk=message_id, status=Message.Status.QUEUED, next_attempt_at__lte=now
    ).update(next_attempt_at=now + lease()))


@task()
def deliver(message_id: int) -> str:
    """Send one queued message it could claim."""
    now = timezone.now()
    if not claim(message_id, now):
        return "skipped"
    message = Message.objects.get(pk=message_id)
    # The request that queued the message names the worker's log lines about it.
    with request_id(message.request_id or current_request_id()):
        message.attempts += 1
        try:
            message.provider_id = get_sms_provider().send(message.mobile, message.text)
        except TransportError as e:
            message.error = str(e)[:200]
            if e.permanent or message.attempts >= MAX_ATTEMPTS:
                message.status = Message.Status.FAILED
            else:
                message.next_attempt_at = now + backoff(message.attempts)
            log.warning("message %s attempt %s: %s (%s)", message.pk, message.attempts, e, message.status)
            message.save()
            metrics.sms.labels(status="retry" if message.status == Message.Status.QUEUED else "failed").inc()
            return message.status
        message.status = Message.Status.SENT
        message.sent_at = now
        message.error = ""
        message.save()
        log.info("message %s sent as %s", message.pk, message.provider_id)
        metrics.sms.labels(status="sent").inc()
        return message.status


def retry_due() -> int:
    """Enqueue the messages whose retry time has come (run by `jianli send-messages`)."""
    due = list(
        Message.objects.filter(status=Message.Status.QUEUED, next_attempt_at__lte=timezone.now()).values_list(
            "pk", flat=True
        )[:1000]
    )
    for pk in due:
        deliver.enqueue(pk)
    return len(due)
