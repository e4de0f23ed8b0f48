"""The statuses an operation declares: every one it can return, each with the one error shape."""

from __future__ import annotations

from typing import Any

from jianli.api.schemas import Error


def errors(*statuses: int) -> dict[int, Any]:
    return {status: Error for status in statuses}


PUBLIC = errors(400, 422, 429)
TOKEN = errors(400, 401, 403, 404, 422, 429)
CHANGE = errors(400, 401, 403, 404, 409, 422, 429)
# Operations that take pictures in their body: a body over DATA_UPLOAD_MAX_MEMORY_SIZE is a 413.
IMAGES = errors(400, 401, 403, 404, 413, 422, 429)
