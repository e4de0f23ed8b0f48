"""One request id per request: from X-Request-ID or made, echoed, in log lines, audit rows and queued messages."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from django.conf import settings as django_settings

from jianli.audit import events
from jianli.audit.models import AuditEvent
from jianli.notifications.models import Message
from jianli.notifications.services import queue
from jianli.ops.context import RequestIdFilter, request_id


def test_a_sane_request_id_is_kept_and_echoed(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-1234.abc")["X-Request-ID"] == "lb-1234.abc"


def test_a_missing_or_odd_request_id_is_replaced(client) -> None:  # type: ignore[no-untyped-def]
    made = client.get("/healthz")["X-Request-ID"]
    assert len(made) == 32
    odd = client.get("/healthz", HTTP_X_REQUEST_ID="<script>" + "x" * 100)["X-Request-ID"]
    assert odd != made and len(odd) == 32


@pytest.mark.django_db
def test_audit_rows_and_messages_carry_the_request_id() -> None:
    with request_id("req-42"):
        events.registered_user_checked(None, found=False)
        queue(mobile="13800138000", text="t", recipient="r")
    assert AuditEvent.objects.get(action="registered_user_checked").request_id == "req-42"
    assert Message.objects.get().request_id == "req-42"


def test_a_json_log_line_names_the_request() -> None:
    formatters: dict[str, Any] = django_settings.LOGGING["formatters"]  # type: ignore[index,assignment]
    config = formatters["json"]
    from pythonjsonlogger.json import JsonFormatter

    formatter = JsonFormatter(config["format"], rename_fields=config["rename_fields"], json_ensure_ascii=False)
    record = logging.LogRecord("jianli.sms", logging.INFO, __file__, 1, "短信 %s", ("已发送",), None)
    with request_id("req-7"):
        RequestIdFilter().filter(record)
    line = json.loads(formatter.format(record))
    assert line["request_id"] == "req-7" and line["message"] == "短信 已发送" and line["level"] == "INFO"
