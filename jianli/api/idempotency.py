"""`Idempotency-Key`: the first response to a request is stored and replayed for identical repeats.

The claim (a unique row per caller and key), the work and the stored answer commit in one transaction, so a
request cut off by a fault (the database gone, the process killed) leaves no claim behind and its retry runs
afresh. A repeat that arrives while the first is running waits for it at the unique index (PostgreSQL) or the
write lock (SQLite) and replays its answer.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from ninja import Status

from jianli.api.models import IdempotencyRecord
from jianli.errors import ServiceError

KEY_MAX = 100


def fingerprint(method: str, path: str, body: Any) -> str:
    canonical = json.dumps([method, path, body], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def run_once(
    *, principal: str, key: str | None, fingerprint_: str, work: Callable[[], tuple[int, dict[str, Any]]]
) -> Status[Any]:
    """Run `work` once per (principal, key). Refusals are stored and replayed too, except 429 and 5xx."""
    if key is None:
        status, body = work()
        return Status(status, body)
    key = key.strip()
    if not key or len(key) > KEY_MAX:
        raise ServiceError(
            "invalid",
            "Idempotency-Key 格式不正确。",
            fields={"Idempotency-Key": "应为1到100个字符"},
            status=422,
        )
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(principal=principal, key=key, fingerprint=fingerprint_)
        except IntegrityError:
            record = None
        if record is not None:
            try:
                with transaction.atomic():
                    status, body = work()
            except ServiceError as e:
                if e.status == 429 or e.status >= 500:
                    raise  # not stored: the claim rolls back with the work
                record.status = e.status
                record.body = {"code": e.code, "message": e.message, "fields": e.fields}
                record.save(update_fields=["status", "body"])
                refusal = e
            else:
                record.status, record.body = status, body
                record.save(update_fields=["status", "body"])
                return Status(status, body)
    if record is not None:
        raise refusal
    return _replay(principal=principal, key=key, fingerprint_=fingerprint_)


def _replay(*, principal: str, key: str, fingerprint_: str) -> Status[Any]:
    record = IdempotencyRecord.objects.get(principal=principal, key=key)
    if record.fingerprint != fingerprint_:
        raise ServiceError(
            "idempotency_mismatch",
            "该 Idempotency-Key 已用于另一个请求，请为新的请求使用新的 Idempotency-Key。",
            status=422,
        )
    if record.status is None:
        # A claim left by the former two-step scheme (claim committed before the work): nothing holds it now.
        IdempotencyRecord.objects.filter(pk=record.pk, status=None).delete()
        raise ServiceError("in_progress", "相同的请求正在处理中，请稍后再试。", status=409)
    if record.status >= 400:
        body = record.body or {}
        raise ServiceError(
            body.get("code", "error"), body.get("message", ""), fields=body.get("fields"), status=record.status
        )
    return Status(record.status, record.body)
