"""The operators' admin (/ops/admin/): signed in at /ops/login/ with password and a TOTP code, the same sign-in
(django-axes lockout, first-use enrolment) as the consoles. A password-only session is not let in."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.views.decorators.http import require_POST
from django_otp.admin import OTPAdminSite

from jianli import staff_signin as signin
from jianli.accounts.staff import password_is_temporary


def is_operator(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


class OpsAdminSite(OTPAdminSite):
    site_header = "监理工程师注册 运维管理"
    site_title = "Jianli 运维"
    index_title = "运维管理"

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)

    def admin_view(self, view: Callable[..., HttpResponse], cacheable: bool = False) -> Callable[..., HttpResponse]:
        inner = super().admin_view(view, cacheable)

        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            own = {reverse(f"admin:{n}", current_app=self.name) for n in ("logout", "password_change",
                                                                          "password_change_done")}
            if request.path not in own:
                if not self.has_permission(request):
                    return redirect_to_login(request.get_full_path(), reverse("ops:login"))
                if password_is_temporary(request.user):
                    return redirect("admin:password_change")
            return inner(request, *args, **kwargs)

        return wrapper

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        """Django's password-only form is never offered: the one sign-in is /ops/login/."""
        return redirect_to_login(request.GET.get("next", reverse("admin:index")), reverse("ops:login"))


class RowLinksChangeList(ChangeList):
    """Django's list, with each row's link made here: Django reverses the row's URL and then, on a filtered or paged
    list, resolves it again to learn that it is not the list's own (together ~0.15 ms a row, a fifth of a deep page
    of 50). The link is the same: the row's page with the list's filters."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Django's rows would add cl.preserved_filters to the URL again: url_for_result has added them.
        self.row_filters, self.preserved_filters = self.preserved_filters, ""
        change = f"admin:{self.opts.app_label}_{self.opts.model_name}_change"
        self.row_url = reverse(change, args=("__pk__",), current_app=self.model_admin.admin_site.name)

    def url_for_result(self, result: Any) -> str:
        url = self.row_url.replace("__pk__", str(quote(getattr(result, self.pk_attname))))
        return f"{url}?{self.row_filters}" if self.row_filters else url


class ModelAdmin(admin.ModelAdmin):
    """The operators' admin for a model: Django's, with the list's rows linked by RowLinksChangeList."""

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return RowLinksChangeList


def _username(values: dict[str, str]) -> tuple[str, dict[str, str]]:
    return values["username"], ({} if values["username"] else {"username": "请输入用户名"})


def login(request: HttpRequest) -> HttpResponse:
    return signin.sign_in(
        request, console="ops", template="ops/login.html", username_of=_username,
        may_use=is_operator, home="admin:index", enrol="ops:enrol",
    )


def enrol(request: HttpRequest) -> HttpResponse:
    return signin.enrol(request, console="ops", template="ops/enrol.html", home="admin:index",
                        login_url="ops:login")


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    return signin.sign_out(request, "ops:login")


urls = ([
    path("login/", login, name="login"),
    path("enrol/", enrol, name="enrol"),
    path("logout/", logout, name="logout"),
], "ops")
