"""An employer's own staff accounts (企业经办人), managed by its 单位管理员: create, disable or enable, reset.

Each action is audited with the employer and the account, beside the account-level events that the model signals
of jianli.accounts.staff write (created, changed, password set, authenticator removed).
"""

from __future__ import annotations

import secrets

from axes.utils import reset as axes_reset
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from jianli.audit import events
from jianli.employers.models import EmployerStaff
from jianli.errors import ServiceError

USERNAME_MAX = 30


def temporary_password() -> str:
    """Shown once to the admin, who tells the colleague; it must be changed at the first sign-in."""
    return "Jl-" + secrets.token_urlsafe(9)


def _audit(action: str, request: HttpRequest | None, staff: EmployerStaff) -> None:
    getattr(events, action)(request, employer_id=staff.employer_id, user_id=staff.user_id,
                            username=staff.user.get_username())


def _admin_check(admin: EmployerStaff) -> None:
    if not admin.is_admin:
        raise ServiceError("forbidden", "仅单位管理员可管理经办人账号", status=403)


def colleague_of(*, admin: EmployerStaff, staff_id: int) -> EmployerStaff:
    """A staff account of the admin's own employer; any other is simply not found."""
    _admin_check(admin)
    colleague = EmployerStaff.objects.select_related("user").filter(pk=staff_id, employer_id=admin.employer_id).first()
    if colleague is None:
        raise ServiceError("not_found", "未找到该经办人", status=404)
    return colleague


def employer_staff_create(
    *, admin: EmployerStaff, username: str, name: str, request: HttpRequest | None = None
) -> tuple[EmployerStaff, str]:
    """A new staff account `USCC/username` of the admin's employer; returns it and its temporary password."""
    _admin_check(admin)
    username, name = username.strip(), name.strip()
    full = f"{admin.employer.uscc}/{username}"
    errors: dict[str, str] = {}
    if not username or "/" in username or len(username) > USERNAME_MAX:
        errors["username"] = f"请输入用户名（不超过{USERNAME_MAX}个字符，不含“/”）"
    elif User.objects.filter(username=full).exists():
        errors["username"] = "该用户名已被使用"
    if not name:
        errors["name"] = "请输入经办人姓名"
    if errors:
        raise ServiceError("invalid", "请检查填写的信息", fields=errors, status=422)
    password = temporary_password()
    with transaction.atomic():
        user = User.objects.create_user(username=full, password=password, first_name=name[:30])
        staff = EmployerStaff.objects.create(user=user, employer=admin.employer)
        _audit("employer_staff_created", request, staff)
    return staff, password


def employer_staff_set_active(
    *, admin: EmployerStaff, staff_id: int, active: bool, request: HttpRequest | None = None
) -> EmployerStaff:
    """停用 (the account cannot sign in) or 启用 again; an admin cannot disable their own account."""
    colleague = colleague_of(admin=admin, staff_id=staff_id)
    if colleague.user_id == admin.user_id:
        raise ServiceError("own_account", "不能停用自己的账号。", status=409)
    if colleague.user.is_active != active:
        with transaction.atomic():
            colleague.user.is_active = active
            colleague.user.save(update_fields=["is_active"])
            _audit("employer_staff_enabled" if active else "employer_staff_disabled", request, colleague)
    return colleague


def employer_staff_reset(
    *, admin: EmployerStaff, staff_id: int, request: HttpRequest | None = None
) -> tuple[EmployerStaff, str]:
    """A new temporary password, the authenticator unbound (enrolled again at the next sign-in), the lockout lifted."""
    colleague = colleague_of(admin=admin, staff_id=staff_id)
    password = temporary_password()
    with transaction.atomic():
        colleague.user.set_password(password)
        colleague.user.save(update_fields=["password"])
        TOTPDevice.objects.filter(user=colleague.user).delete()
        _audit("employer_staff_reset", request, colleague)
    axes_reset(username=colleague.user.get_username())
    return colleague, password
