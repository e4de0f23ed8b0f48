from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from jianli.http import JianliRequest
from jianli.ops.context import new_request_id, request_id


class RequestIdMiddleware:
    """Outermost: every log line of the request, and every audit row it writes, carries the same id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: JianliRequest) -> HttpResponse:
        with request_id(new_request_id(request.headers.get("X-Request-ID"))) as rid:
            request.request_id = rid
            response = self.get_response(request)
            response["X-Request-ID"] = rid
            return response
