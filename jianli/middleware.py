"""Refusals taken before a request's body is read, and the headers every answer carries."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from jianli.registrations.uploads import size_text

PAGE = """<!doctype html>
<html lang="zh-Hans"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>提交的内容过大 - 住房和城乡建设部政务服务平台</title><link rel="stylesheet" href="/static/css/jianli.css"></head>
<body><main id="main"><section class="panel"><h1>提交的内容过大</h1><p>{message}</p>
<a class="btn btn-primary" href="javascript:history.back()">返回上一页</a></section></main></body></html>"""


def too_large_message() -> str:
    return f"提交的内容过大（一次不能超过{size_text(settings.JIANLI_MAX_REQUEST_BYTES)}），图片请压缩后再上传，附件请分次上传。"


class RequestSizeMiddleware:
    """A body declared larger than JIANLI_MAX_REQUEST_BYTES gets 413 before a byte of it is read.

    Without a Content-Length Django reads no body at all (a chunked upload arrives empty), so the declared
    length is the whole story; Django's own DATA_UPLOAD_MAX_MEMORY_SIZE still bounds the form fields read.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.JIANLI_MAX_REQUEST_BYTES:
            message = too_large_message()
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "too_large", "message": message, "fields": {}}, status=413)
            return HttpResponse(PAGE.format(message=message), status=413, content_type="text/html; charset=utf-8")
        return self.get_response(request)


API_ERRORS = {
    404: ("not_found", "未找到该接口或对象。"),
    405: ("method_not_allowed", "不支持该请求方法。"),
}


class ApiErrorMiddleware:
    """Under /api/ every error is the one JSON shape, also where no API view ran: an unknown path (Django's 404 page)
    or a method the operation does not take (an empty 405)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code in API_ERRORS
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            code, message = API_ERRORS[response.status_code]
            json_response = JsonResponse({"code": code, "message": message, "fields": {}}, status=response.status_code)
            if response.has_header("Allow"):
                json_response["Allow"] = response["Allow"]
            return json_response
        return response


class ResponseHeadersMiddleware:
    """The headers every page and API answer carries, written once at start-up (static files are served before
    this, by WhiteNoise):

    - Content-Language: the service is written in Simplified Chinese only;
    - Cache-Control: no-store, since pages and answers carry personal data (a shared phone's back button, a
      proxy's disk); a response that says otherwise keeps its own;
    - the Content-Security-Policy (settings.CONTENT_SECURITY_POLICY): no inline script or style, no framing.
      Django's debug pages (404 and 500 under DEBUG) style themselves inline: they go without.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.headers = {
            "Content-Language": "zh-Hans",
            "Cache-Control": "no-store",
            "Content-Security-Policy": settings.CONTENT_SECURITY_POLICY,
        }
        self.debug = settings.DEBUG

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        headers = response.headers
        for name, value in self.headers.items():
            if name not in headers:
                headers[name] = value
        if self.debug and response.status_code in (404, 500):
            del headers["Content-Security-Policy"]
        return response
