"""Staff sign-in for both consoles: password (django-axes counts failures and locks out), then a TOTP code
(django-otp). A user without a confirmed device enrols on first sign-in: a QR code and the secret are shown once.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

import segno
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from jianli.accounts import session
from jianli.accounts.staff import count_failure, password_is_temporary, staff_password_change
from jianli.audit import events
from jianli.errors import ServiceError

View = Callable[..., HttpResponseBase]
PENDING = "staff_pending_user"
PENDING_NEXT = "staff_pending_next"
ISSUER = "住建部监理工程师注册"


def signed_in_user(request: HttpRequest) -> User:
    """The staff user of a view behind `staff_required` (which sends everyone else to sign in)."""
    if not isinstance(request.user, User):
        raise PermissionDenied("not signed in")
    return request.user


def safe_next(request: HttpRequest, home: str) -> str:
    """Where to go after signing in: the page that sent the user here (`?next=`) when it is on this site, else
    the console's home. An absolute URL to elsewhere, `//host`, or a scheme other than http(s) is ignored."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return reverse(home)


def _here(request: HttpRequest) -> str:
    """The page to come back to after signing in: this one, or for a form sent after the session ended (a
    decision's POST URL has no page) the page the form was on."""
    if request.method == "GET":
        return request.get_full_path()
    referer = urlsplit(request.META.get("HTTP_REFERER", ""))
    if referer.netloc == request.get_host() and referer.path:
        return referer.path + (f"?{referer.query}" if referer.query else "")
    return ""


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def secret_of(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def _finish(request: HttpRequest, user: User, device: TOTPDevice, console: str) -> None:
    request.session.flush()  # an applicant's session never carries over into a staff session
    login(request, user, backend="jianli.accounts.backends.StaffBackend")
    otp_login(request, device)
    session.mark_signed_in(request)
    events.staff_signed_in(request, user.pk, console)


def sign_in(
    request: HttpRequest,
    *,
    console: str,
    template: str,
    username_of: Callable[[dict[str, str]], tuple[str, dict[str, str]]],
    may_use: Callable[[User], bool],
    home: str,
    enrol: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """One sign-in page: `username_of` turns the form into the Django username (or field errors)."""
    values = {k: request.POST.get(k, "").strip() for k in ("uscc", "username", "token")}
    errors: dict[str, str] = {}
    if request.method == "POST":
        username, errors = username_of(values)
        password = request.POST.get("password", "")
        if not password:
            errors["password"] = "请输入密码"
        if not errors:
            user = authenticate(request, username=username, password=password)
            if getattr(request, "axes_locked_out", False):
                return render(request, "base/locked_out.html", status=429)
            if user is None or not may_use(user):
                if user is not None:
                    count_failure(request, username)
                errors["password"] = "用户名或密码错误"
            else:
                device = confirmed_device(user)
                if device is None:
                    request.session[PENDING] = user.pk
                    request.session[PENDING_NEXT] = safe_next(request, home)
                    return redirect(enrol)
                if not values["token"]:
                    errors["token"] = "请输入动态口令（6位数字）"
                elif not device.verify_token(values["token"]):
                    count_failure(request, username)
                    errors["token"] = "动态口令不正确或已过期，请输入验证器上当前显示的6位数字"
                else:
                    target = safe_next(request, home)
                    _finish(request, user, device, console)
                    return redirect(target)
    values.pop("token", None)
    return render(request, template, {"values": values, "errors": errors, **(extra or {})},
                  status=422 if errors else 200)


def enrol(request: HttpRequest, *, console: str, template: str, home: str, login_url: str) -> HttpResponse:
    """First sign-in: bind an authenticator app to the account (the password was checked just before)."""
    user = User.objects.filter(pk=request.session.get(PENDING) or 0, is_active=True).first()
    if user is None or confirmed_device(user) is not None:
        return redirect(login_url)
    device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=False, defaults={"name": "验证器"})
    error = ""
    if request.method == "POST":
        if device.verify_token(request.POST.get("token", "").strip()):
            device.confirmed = True
            device.save()
            target = request.session.get(PENDING_NEXT) or reverse(home)
            _finish(request, user, device, console)
            return redirect(target)
        error = "动态口令不正确，请输入验证器上当前显示的6位数字"
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#1a1a1a")
    return render(
        request, template, {"qr": qr, "secret": secret_of(device), "error": error, "account": user.get_username()},
        status=422 if error else 200,
    )


def sign_out(request: HttpRequest, login_url: str) -> HttpResponse:
    logout(request)
    return redirect(login_url)


def staff_required(
    may_use: Callable[[User], bool], login_name: str, password_name: str = ""
) -> Callable[[View], View]:
    """Signed in with password and TOTP, and allowed in this console; anyone else goes to its sign-in page.

    With `password_name`, a temporary password sends its holder to that page until it is changed."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            user = request.user
            if not (user.is_authenticated and user.is_verified() and may_use(user)):  # type: ignore[union-attr,attr-defined]
                here = _here(request)
                return redirect(f"{reverse(login_name)}?{urlencode({'next': here})}" if here else login_name)
            if password_name and password_is_temporary(user):
                return redirect(password_name)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def change_password(
    request: HttpRequest, *, template: str, home: str, extra: dict[str, Any] | None = None
) -> HttpResponse:
    """The holder's own password: the current one, and the new one twice."""
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            staff_password_change(
                user=signed_in_user(request),
                old_password=request.POST.get("old_password", ""),
                new_password=request.POST.get("new_password", ""),
                new_password_again=request.POST.get("new_password_again", ""),
                request=request,
            )
        except ServiceError as e:
            errors = e.fields
        else:
            messages.success(request, "密码已修改。其他设备上的登录已退出。")
            return redirect(home)
    temporary = password_is_temporary(request.user)
    return render(request, template, {"errors": errors, "temporary": temporary, **(extra or {})},
                  status=422 if errors else 200)
