"""/metrics only when JIANLI_METRICS is on: Prometheus text with our counters and the queue depth."""

from __future__ import annotations

import pytest

from jianli.notifications.services import queue
from jianli.ops import metrics


@pytest.mark.django_db
def test_metrics_are_off_unless_enabled(client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.JIANLI_METRICS = False
    assert client.get("/metrics").status_code == 404


@pytest.mark.django_db
def test_metrics_show_transitions_face_checks_sms_and_queue_depth(client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.JIANLI_METRICS = True
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    queue(mobile="13800138000", text="t", recipient="r")
    metrics.transitions.labels(action="submit").inc()
    metrics.face_checks.labels(outcome="passed", provider="fake").inc()
    metrics.sms.labels(status="delivered").inc()
    r = client.get("/metrics")
    assert r.status_code == 200
    text = r.content.decode()
    assert 'jianli_queue_depth{queue="messages"} 1.0' in text
    for name in ('jianli_transitions_total{action="submit"}', 'jianli_face_checks_total{outcome="passed",provider="fake"}',
                 'jianli_sms_total{status="delivered"}'):
        assert name in text
