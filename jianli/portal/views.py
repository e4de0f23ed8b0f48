"""The applicant's way in: first use, the catalogue, the registered-user check, 用户注册, sign-out."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST

from jianli.accounts import services as accounts
from jianli.accounts import session
from jianli.accounts.middleware import DEVICE_COOKIE
from jianli.errors import ServiceError
from jianli.http import JianliRequest, platform_profile
from jianli.registrations.catalogue import AUTHORITY, ENTRIES, ITEM_NAME, LEGAL_BASIS
from jianli.registrations.models import BusinessType

View = Callable[..., HttpResponse]


def profile_required(view: View) -> View:
    """First use (图2): nothing before 头像 and 昵称 are set."""

    @wraps(view)
    def wrapper(request: JianliRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.profile is None:
            return redirect_with_next("portal:welcome", request)
        return view(request, *args, **kwargs)

    return wrapper


def applicant_required(view: View) -> View:
    """Signed in: registered and face-verified in this session."""

    @wraps(view)
    def wrapper(request: JianliRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.applicant is None:
            return redirect_with_next("portal:check", request)
        return view(request, *args, **kwargs)

    return wrapper


def business_type_or_404(value: str) -> BusinessType:
    try:
        return BusinessType(value)
    except ValueError:
        raise Http404("没有这个业务类型") from None


def safe_next(request: JianliRequest, default: str) -> str:
    """The `next` parameter if it stays on this site (browsers read `/\\host` as `//host`), else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def redirect_with_next(name: str, request: JianliRequest) -> HttpResponse:
    """To the page `name`, coming back here afterwards."""
    return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")


def welcome(request: JianliRequest) -> HttpResponse:
    """首次使用时，请先设置“头像”和“昵称”（图2）。"""
    next_url = safe_next(request, reverse("portal:home"))
    if request.profile is not None and request.method == "GET":
        return redirect(next_url)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        try:
            accounts.profile_create_allowed(request)
            avatar = request.FILES.get("avatar")
            profile = accounts.profile_create(
                nickname=request.POST.get("nickname", ""), avatar=avatar.read() if avatar else None
            )
        except ServiceError as e:
            errors = e.fields or {"form": e.message}
            status = e.status
        else:
            session.remember_profile(request, profile)
            return redirect(next_url)
    return render(
        request,
        "portal/welcome.html",
        {"errors": errors, "values": request.POST, "next": next_url},
        status=status,
    )


@profile_required
def avatar(request: JianliRequest) -> HttpResponse:
    """The signed-in device's own 头像 (no id in the address: nobody can ask for another's)."""
    image = platform_profile(request).avatar_image()
    if image is None:
        raise Http404()
    response = HttpResponse(image, content_type="image/jpeg")
    response["Cache-Control"] = "no-store"
    return response


@profile_required
def home(request: JianliRequest) -> HttpResponse:
    return render(request, "portal/home.html")


@profile_required
def catalogue(request: JianliRequest) -> HttpResponse:
    """The list after 监理工程师 (图3): the item, then one entry per business type."""
    return render(request, "portal/catalogue.html", {"entries": list(ENTRIES.values()), "item_name": ITEM_NAME})


@profile_required
def item(request: JianliRequest, business_type: str) -> HttpResponse:
    """The item page with 在线办理 (图4)."""
    entry = ENTRIES[business_type_or_404(business_type)]
    return render(
        request,
        "portal/item.html",
        {"entry": entry, "legal_basis": LEGAL_BASIS, "authority": AUTHORITY, "item_name": ITEM_NAME},
    )


@profile_required
def start(request: JianliRequest, business_type: str) -> HttpResponse:
    """在线办理: signed-in applicants go straight to 申报须知; others are checked first (图5)."""
    kind = business_type_or_404(business_type)
    request.session["business_type"] = kind.value
    apply_url = reverse("portal:apply", args=[kind.value])
    if request.applicant is not None:
        return redirect(apply_url)
    return redirect(f"{reverse('portal:check')}?{urlencode({'next': apply_url})}")


@profile_required
def check(request: JianliRequest) -> HttpResponse:
    """验证是否为已注册用户 (图5): 姓名 + 身份证号码 + 确定."""
    next_url = safe_next(request, reverse("portal:home"))
    context: dict[str, Any] = {"errors": {}, "values": request.POST, "next": next_url, "not_found": False}
    status = 200
    if request.method == "POST":
        try:
            applicant = accounts.registered_user_check(
                name=request.POST.get("name", ""), id_number=request.POST.get("id_number", ""), request=request
            )
        except ServiceError as e:
            context["errors"] = e.fields
            context["message"] = e.message
            status = e.status
        else:
            if applicant is not None:
                session.set_pending(request, applicant)
                request.session["after_face"] = next_url
                return redirect("identity:face")
            # Carried over to 用户注册 so nothing is typed twice.
            request.session["register_prefill"] = {
                "name": request.POST.get("name", ""),
                "id_number": request.POST.get("id_number", ""),
            }
            request.session["after_face"] = next_url
            context["not_found"] = True
    return render(request, "portal/check.html", context, status=status)


@profile_required
def register(request: JianliRequest) -> HttpResponse:
    """用户注册 (图6): 姓名, 身份证号码, 手机号码 + 短信验证码, 证件照, 注册."""
    values: dict[str, str] = dict(request.session.get("register_prefill", {}))
    errors: dict[str, str] = {}
    demo_code = request.session.pop("demo_sms_code", None) if settings.DEMO else None
    notice = ""
    status = 200
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in ("name", "id_number", "mobile", "sms_code")}
        request.session["register_prefill"] = {k: values[k] for k in ("name", "id_number", "mobile")}
        if request.POST.get("action") == "send_code":
            try:
                code = accounts.sms_code_send(mobile=values["mobile"], request=request)
            except ServiceError as e:
                errors = e.fields or {"mobile": e.message}
                status = e.status
            else:
                notice = "验证码已发送，5分钟内有效"
                if settings.DEMO:
                    demo_code = code
        else:
            photo = request.FILES.get("id_photo")
            try:
                applicant = accounts.applicant_register(
                    name=values["name"],
                    id_number=values["id_number"],
                    mobile=values["mobile"],
                    sms_code=values["sms_code"],
                    id_photo=photo.read() if photo else None,
                    profile=request.profile,
                    request=request,
                )
            except ServiceError as e:
                errors = e.fields or {"form": e.message}
                status = e.status
            else:
                request.session.pop("register_prefill", None)
                session.set_pending(request, applicant)
                return redirect("identity:face")
    return render(
        request,
        "portal/register.html",
        {"values": values, "errors": errors, "demo_code": demo_code, "notice": notice},
        status=status,
    )


@require_POST
def sign_out(request: JianliRequest) -> HttpResponse:
    session.sign_out(request)
    response = redirect("portal:home")
    # A shared phone: whoever picks it up next starts from first use, not from this person's profile.
    response.delete_cookie(DEVICE_COOKIE, samesite="Lax")
    return response


@require_POST
def extend_session(request: JianliRequest) -> JsonResponse:
    """The 'extend' button of the idle warning: any request renews the session."""
    request.session.modified = True
    return JsonResponse({"idle_seconds": settings.SESSION_COOKIE_AGE})


def signed_out(request: JianliRequest) -> HttpResponse:
    return render(request, "portal/signed_out.html")


def csrf_failure(request: JianliRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
