"""更多 (图8–9): 信息修改, 进度查询, 操作手册, 常见问题, 联系电话; and the 长辈模式 switch (适老化)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jianli.help import FAQ, MANUAL, contacts
from jianli.http import JianliRequest
from jianli.portal.views import safe_next


def more(request: JianliRequest) -> HttpResponse:
    """The menu as a page, for browsers without JavaScript (with it, the same links open in a sheet)."""
    return render(request, "portal/more.html", {"back": safe_next(request, "/")})


def manual(request: JianliRequest) -> HttpResponse:
    return render(request, "portal/manual.html", {"sections": MANUAL})


def faq(request: JianliRequest) -> HttpResponse:
    return render(request, "portal/faq.html", {"questions": FAQ})


def contact(request: JianliRequest) -> HttpResponse:
    return render(request, "portal/contact.html", {"contacts": contacts()})


@require_POST
def large_text(request: JianliRequest) -> HttpResponse:
    """长辈模式 / 标准模式: kept in the session and, once chosen, on the profile."""
    on = request.POST.get("large_text") == "1"
    request.session["large_text"] = on
    profile = request.profile
    if profile is not None and profile.large_text != on:
        profile.large_text = on
        profile.save(update_fields=["large_text"])
    return redirect(safe_next(request, "/"))
