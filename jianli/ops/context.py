"""The request id: taken from X-Request-ID or made, carried into log lines, audit rows and queued messages."""

from __future__ import annotations

import contextlib
import contextvars
import logging
import re
import uuid
from collections.abc import Iterator

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
VALID = re.compile(r"^[A-Za-z0-9._:\-]{1,64}$")


def current_request_id() -> str:
    return _request_id.get()


def new_request_id(offered: str | None = None) -> str:
    """The caller's id when it is a sane token (a proxy's or client's), else a fresh one."""
    if offered and VALID.match(offered):
        return offered
    return uuid.uuid4().hex


@contextlib.contextmanager
def request_id(value: str) -> Iterator[str]:
    token = _request_id.set(value)
    try:
        yield value
    finally:
        _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get() or "-"
        return True
