"""A transition's SMS rows commit with the transition itself, so a fault between the commit and the enqueue (the
database restarting, the process killed) cannot lose them; `send-messages` enqueues what was never enqueued."""

from __future__ import annotations

import time

import pytest
from django.db import transaction
from django.utils import timezone

from jianli.notifications.models import Message
from jianli.notifications.tasks import claim, retry_due
from jianli.testing import cast


@pytest.mark.django_db
def test_the_message_is_written_in_the_transitions_transaction() -> None:
    # No on-commit callback runs here (the test's transaction never commits): the row must exist all the same.
    with transaction.atomic():
        app = cast.submitted(cast.applicant(), cast.employer(1))
        assert Message.objects.filter(application=app, status=Message.Status.QUEUED).count() == 1


@pytest.mark.django_db
def test_a_message_whose_enqueue_failed_is_sent_by_send_messages(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=False):
        app = cast.submitted(cast.applicant(), cast.employer(1))
    # The commit happened and the process died before the enqueue ran: the message waits, queued.
    message = Message.objects.get(application=app)
    assert message.status == Message.Status.QUEUED
    assert retry_due() == 1
    message.refresh_from_db()
    assert message.status == Message.Status.SENT


@pytest.mark.django_db
def test_a_message_a_dead_worker_had_claimed_is_sent_once_its_lease_is_over(
    django_capture_on_commit_callbacks, settings,  # type: ignore[no-untyped-def]
) -> None:
    # The lease is three times the provider's timeout (10 s: 30 s), not minutes: a database restart between a
    # worker's claim and its send must not hold the message back for long.
    settings.JIANLI_PROVIDER_TIMEOUT = 0.1
    with django_capture_on_commit_callbacks(execute=False):
        app = cast.submitted(cast.applicant(), cast.employer(1))
    message = Message.objects.get(application=app)
    assert claim(message.pk, timezone.now())  # the worker claimed it, then died before sending
    assert retry_due() == 0  # still its claim
    time.sleep(0.35)
    assert retry_due() == 1
    message.refresh_from_db()
    assert message.status == Message.Status.SENT and message.attempts == 1
