from __future__ import annotations

import sys

from django.conf import settings
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.defaults import server_error as django_server_error
from django_prometheus.exports import ExportToDjangoView

from jianli.ops import metrics as ours
from jianli.ops.health import readiness

RETRY_AFTER = "5"
UNAVAILABLE = "服务暂时不可用，请稍后再试。"


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """The process answers: nothing else is checked (a restart would not fix a dependency)."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    ready, results = readiness()
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": results}, status=200 if ready else 503)


def metrics(request: HttpRequest) -> HttpResponse:
    if not settings.JIANLI_METRICS:
        raise Http404
    ours.sample_queue_depth()
    return ExportToDjangoView(request)


def unavailable(request: HttpRequest) -> HttpResponse:
    """The database (or another store) cannot be reached: ask the caller to come back, in JSON for the API."""
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"code": "unavailable", "message": UNAVAILABLE, "fields": {}}, status=503
        )
    else:
        response = HttpResponse(
            f'<!doctype html><html lang="zh-Hans"><meta charset="utf-8"><title>服务暂时不可用</title>'
            f"<p>{UNAVAILABLE}</p></html>",
            status=503,
        )
    response["Retry-After"] = RETRY_AFTER
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database fault is a 503 to retry; the API answers in JSON whatever went wrong."""
    exc = sys.exc_info()[1]
    if isinstance(exc, DatabaseError):
        return unavailable(request)
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "error", "message": "服务出现错误，请稍后再试。", "fields": {}}, status=500)
    return django_server_error(request)
