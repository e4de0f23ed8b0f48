"""Text from clients, checked in one place: what no field may hold, and what names and reasons may not.

Two layers. `InputGuardMiddleware` makes every query string and form value storable: NUL, other control
characters and lone surrogates (which PostgreSQL refuses, and which no keyboard types) become U+FFFD, so the
page can show the text back with a visible mark instead of failing. `problem()` is the validator that forms
and API schemas call: it refuses U+FFFD and control characters, bidirectional controls (U+202E can make
"张三\u202eexe.txt" display as something else in a reviewer's list) and over-long text, with a message in
Chinese for the field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import cache
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict

from jianli.errors import ServiceError

REPLACEMENT = "\ufffd"
# C0 controls except tab, line feed and carriage return; DEL and C1 controls; lone surrogates.
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile("[\r\n\t]")


def scrub(value: str) -> str:
    """The value with every character no field may hold replaced by U+FFFD (storable, and visible)."""
    return _UNSTORABLE.sub(REPLACEMENT, value)


def problem(value: str, *, label: str = "", max_length: int | None = None, multiline: bool = False) -> str | None:
    """Why this text cannot be accepted, in Chinese, or None."""
    label = label or "此项"
    if _UNSTORABLE.search(value) or REPLACEMENT in value:
        return f"{label}含有无法识别的字符（如空字符或控制字符），请删除后重新输入"
    if _BIDI.search(value):
        return f"{label}不能包含改变文字方向的控制字符（如U+202E），请删除后重新输入"
    if not multiline and _LINE_BREAKS.search(value.strip()):
        return f"{label}不能换行"
    if max_length is not None and len(value) > max_length:
        return f"{label}不能超过{max_length}个字"
    return None


def check(value: str, *, field: str, label: str, max_length: int | None = None, multiline: bool = False) -> str:
    """The value, or ServiceError with the message at `field`."""
    message = problem(value, label=label, max_length=max_length, multiline=multiline)
    if message:
        raise ServiceError("invalid_text", message, fields={field: message}, status=422)
    return value


def parse_date(value: str, *, min_year: int = 1900, max_year: int = 2999) -> dt.date | None:
    """A YYYY-MM-DD date within years a person or a case can have, or None (year 9999 is no date: a day added
    to it overflows)."""
    try:
        day = dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None
    return day if min_year <= day.year <= max_year else None


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str | None:
    """The username django-axes records for a failed sign-in, cut to what its column holds."""
    username = (credentials or {}).get("username") or request.POST.get("username")
    return scrub(str(username))[:150] if username else None


def _scrubbed(data: QueryDict) -> QueryDict | None:
    if not any(_UNSTORABLE.search(k) or any(_UNSTORABLE.search(v) for v in vs) for k, vs in data.lists()):
        return None
    clean = QueryDict(mutable=True)
    for key, values in data.lists():
        clean.setlist(scrub(key), [scrub(v) for v in values])
    clean._mutable = False
    return clean


@cache
def _guarded(cls: type[HttpRequest]) -> type[HttpRequest]:
    """The request class whose form data is scrubbed when it is first read (so views that set their own upload
    handlers, like the camera pages, still can)."""

    class Guarded(cls):  # type: ignore[valid-type,misc]
        def _load_post_and_files(self) -> None:
            super()._load_post_and_files()
            form = _scrubbed(self._post)
            if form is not None:
                self._post = form

    Guarded.__name__ = f"Guarded{cls.__name__}"
    return Guarded


class InputGuardMiddleware:
    """Query strings and form fields made storable before any view sees them (see the module's docstring).

    JSON bodies are the API schemas' job: their strings go through `problem()` and come back as field errors.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _UNSTORABLE.search(request.path):
            # No page or resource can live at such an address: not found, said in Chinese.
            message = "网址中含有无法识别的字符，请检查网址。"
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "not_found", "message": message, "fields": {}}, status=404)
            return HttpResponse(f"<!doctype html><html lang=\"zh-Hans\"><meta charset=\"utf-8\"><title>找不到该网址</title>"
                                f"<p>{message}</p><a href=\"/\">返回首页</a></html>", status=404)
        query = _scrubbed(request.GET)
        if query is not None:
            request.GET = query
        request.__class__ = _guarded(type(request))
        return self.get_response(request)
