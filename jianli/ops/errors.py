"""Error reports to Sentry, or anything that speaks its envelope protocol, when JIANLI_SENTRY_DSN is set."""

from __future__ import annotations

from typing import Any

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.logging import LoggingIntegration

from jianli.ops.context import current_request_id


def _tag_request_id(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    rid = current_request_id()
    if rid:
        event.setdefault("tags", {})["request_id"] = rid
    return event


def init_sentry(dsn: str, *, environment: str = "production") -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), LoggingIntegration(event_level=None)],
        max_request_body_size="never",  # no bodies, cookies or user names are sent (the default): PII stays here
        traces_sample_rate=0.0,
        before_send=_tag_request_id,  # type: ignore[arg-type]
    )


def report(exc: BaseException) -> None:
    sentry_sdk.capture_exception(exc)
