"""Reads from the streaming read replica, for the pages that only read, never for a read right after one's own write.

A page opts in with `@replica_reads`; everything else reads the primary. A request that changed something (any
method but GET/HEAD/OPTIONS) pins its browser to the primary for JIANLI_REPLICA_PIN_SECONDS through a cookie, so
the page it is redirected to shows what it just did even when the replica lags. Reads inside a transaction on the
primary also stay there: they belong with the writes around them.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.db import connections, models
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

REPLICA = "replica"
PIN_COOKIE = "jianli_primary"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# The data of the read-only pages; sessions, users, sign-in locks and the task queue always read the primary.
REPLICA_APPS = frozenset({"registrations", "employers", "accounts", "notifications"})

_replica_ok: contextvars.ContextVar[bool] = contextvars.ContextVar("jianli_replica_ok", default=False)

View = Callable[..., HttpResponse]
Response = TypeVar("Response", bound=HttpResponseBase)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def pinned_to_primary(request: HttpRequest) -> bool:
    return request.method not in SAFE_METHODS or PIN_COOKIE in request.COOKIES


def replica_reads(view: Callable[..., Response]) -> Callable[..., Response]:
    """The view only reads: its queries may go to the replica unless this browser has just written."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Response:
        if not replica_configured() or pinned_to_primary(request):
            return view(request, *args, **kwargs)
        token = _replica_ok.set(True)
        try:
            return view(request, *args, **kwargs)
        finally:
            _replica_ok.reset(token)

    return wrapper


class ReplicaRouter:
    """DATABASE_ROUTERS entry, active when JIANLI_REPLICA_URL is set."""

    def db_for_read(self, model: type[models.Model], **hints: Any) -> str | None:
        if not _replica_ok.get() or model._meta.app_label not in REPLICA_APPS:
            return "default"
        if connections["default"].in_atomic_block:
            return "default"
        return REPLICA

    def db_for_write(self, model: type[models.Model], **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # Both aliases hold the same rows.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"


class PrimaryPinMiddleware:
    """After a request that may have written, this browser reads the primary for a few seconds."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method not in SAFE_METHODS and replica_configured():
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.JIANLI_REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
