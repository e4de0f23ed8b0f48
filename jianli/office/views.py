"""The employer console (企业上报): the company's applications only, 确认上报 / 退回, and the company's staff."""

from __future__ import annotations

import secrets

from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from jianli.audit import events
from jianli.employers.models import EmployerStaff
from jianli.errors import ServiceError
from jianli.identifiers import InvalidIdentifier, clean_uscc
from jianli.office import signin
from jianli.office.paging import keyset_page
from jianli.registrations import decisions
from jianli.registrations.models import Application, Attachment, BusinessType, State
from jianli.replica import replica_reads

OFFICE_STATES = [State.AWAITING_EMPLOYER, State.RETURNED, State.AWAITING_REVIEW, State.IN_REVIEW,
                 State.IN_CORRECTION, State.APPROVED, State.REJECTED, State.WITHDRAWN]


def is_employer_staff(user: User) -> bool:
    staff = getattr(user, "employer_staff", None) if user.is_authenticated else None
    return bool(staff and user.is_active and staff.employer.is_active)


staff_required = signin.staff_required(is_employer_staff, "office:login", "office:password")
signed_in = signin.staff_required(is_employer_staff, "office:login")


def _staff(request: HttpRequest) -> EmployerStaff:
    return request.user.employer_staff  # type: ignore[union-attr]


def _application_for_staff(request: HttpRequest, number: str) -> Application:
    """Every lookup goes through here: an application naming another employer is simply not found."""
    app = (
        Application.objects.select_related("applicant", "employer")
        .filter(number=number, employer_id=_staff(request).employer_id)
        .exclude(state=State.DRAFT)
        .first()
    )
    if app is None:
        raise Http404("未找到该办件")
    return app


def _username(values: dict[str, str]) -> tuple[str, dict[str, str]]:
    errors = {}
    try:
        uscc = clean_uscc(values["uscc"])
    except InvalidIdentifier as e:
        uscc = ""
        errors["uscc"] = e.message if values["uscc"] else "请输入统一社会信用代码"
    if not values["username"]:
        errors["username"] = "请输入用户名"
    return f"{uscc}/{values['username']}", errors


def login(request: HttpRequest) -> HttpResponse:
    return signin.sign_in(
        request, console="office", template="office/login.html", username_of=_username,
        may_use=is_employer_staff, home="office:home", enrol="office:enrol",
    )


def enrol(request: HttpRequest) -> HttpResponse:
    return signin.enrol(request, console="office", template="office/enrol.html", home="office:home",
                        login_url="office:login")


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    return signin.sign_out(request, "office:login")


@signed_in
def password(request: HttpRequest) -> HttpResponse:
    return signin.change_password(request, template="office/password.html", home="office:home",
                                  extra={"staff": _staff(request)})


@staff_required
@replica_reads
def home(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    qs = Application.objects.filter(employer_id=staff.employer_id).exclude(state=State.DRAFT).select_related("applicant")
    state, kind = request.GET.get("state", ""), request.GET.get("type", "")
    if state in State.values:
        qs = qs.filter(state=state)
    if kind in BusinessType.values:
        qs = qs.filter(business_type=kind)
    page = keyset_page(qs, request.GET.get("after", ""), newest_first=True)
    waiting = Application.objects.filter(employer_id=staff.employer_id, state=State.AWAITING_EMPLOYER).count()
    return render(request, "office/home.html", {
        "staff": staff, "page": page, "state": state, "type": kind, "waiting": waiting,
        "states": [(s.value, s.label) for s in OFFICE_STATES], "types": BusinessType.choices,
    })


@staff_required
@replica_reads
def detail(request: HttpRequest, number: str) -> HttpResponse:
    app = _application_for_staff(request, number)
    return render(request, "office/detail.html", _detail_context(request, app))


def _employment_attachments(app: Application) -> list[Attachment]:
    return list(app.attachments.filter(is_current=True, slot__in=decisions.EMPLOYER_FACTS).order_by("slot"))


def _detail_context(request: HttpRequest, app: Application, **extra: object) -> dict[str, object]:
    from jianli.review.views import data_rows

    return {
        "staff": _staff(request), "app": app, "rows": data_rows(app, employment_only=True),
        "attachments": _employment_attachments(app),
        "events": app.events.all(), "can_act": app.state == State.AWAITING_EMPLOYER, **extra,
    }


@staff_required
def attachment(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    """Only the employment documents (labour contract, termination proof) the employer is asked to confirm."""
    app = _application_for_staff(request, number)
    att = next((a for a in _employment_attachments(app) if a.pk == pk), None)
    if att is None:
        raise Http404("未找到该材料")
    events.personal_data_viewed(request, app.applicant_id, f"attachment:{att.slot}", app.pk)
    response = HttpResponse(att.read(), content_type=att.content_type)
    response["Content-Disposition"] = f'inline; filename="attachment-{att.pk}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@staff_required
@require_POST
def report(request: HttpRequest, number: str) -> HttpResponse:
    app = _application_for_staff(request, number)
    try:
        decisions.application_report(application_id=app.pk, staff=_staff(request), request=request)
    except ServiceError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, f"办件{app.number}已确认上报，待部级审核。")
    return redirect("office:detail", number=app.number)


@staff_required
@require_POST
def return_(request: HttpRequest, number: str) -> HttpResponse:
    app = _application_for_staff(request, number)
    reason = request.POST.get("reason", "")
    try:
        decisions.application_return(application_id=app.pk, staff=_staff(request), reason=reason, request=request)
    except ServiceError as e:
        return render(request, "office/detail.html",
                      _detail_context(request, app, errors=e.fields, reason=reason, message=e.message), status=e.status)
    messages.success(request, f"办件{app.number}已退回申请人。")
    return redirect("office:detail", number=app.number)


# ---------------------------------------------------------------- the company's staff accounts


def _admin_required(request: HttpRequest) -> EmployerStaff:
    staff = _staff(request)
    if not staff.is_admin:
        raise Http404("仅单位管理员可管理经办人账号")
    return staff


def _colleague(request: HttpRequest, pk: int) -> EmployerStaff:
    admin = _admin_required(request)
    colleague = EmployerStaff.objects.select_related("user").filter(pk=pk, employer_id=admin.employer_id).first()
    if colleague is None:
        raise Http404("未找到该经办人")
    return colleague


def _temporary_password() -> str:
    return "Jl-" + secrets.token_urlsafe(9)


@staff_required
def staff_list(request: HttpRequest) -> HttpResponse:
    admin = _admin_required(request)
    values = {"username": request.POST.get("username", "").strip(), "name": request.POST.get("name", "").strip()}
    errors: dict[str, str] = {}
    if request.method == "POST":
        username = f"{admin.employer.uscc}/{values['username']}"
        if not values["username"] or "/" in values["username"] or len(values["username"]) > 30:
            errors["username"] = "请输入用户名（不超过30个字符，不含“/”）"
        elif User.objects.filter(username=username).exists():
            errors["username"] = "该用户名已被使用"
        if not values["name"]:
            errors["name"] = "请输入经办人姓名"
        if not errors:
            password = _temporary_password()
            with transaction.atomic():
                user = User.objects.create_user(username=username, password=password, first_name=values["name"][:30])
                EmployerStaff.objects.create(user=user, employer=admin.employer)
            messages.success(request, f"已创建经办人账号 {values['username']}，初始密码 {password}（仅显示一次，请当面告知）。")
            return redirect("office:staff")
    colleagues = EmployerStaff.objects.filter(employer_id=admin.employer_id).select_related("user").order_by("user__username")
    return render(request, "office/staff.html", {
        "staff": admin, "colleagues": colleagues, "values": values, "errors": errors,
        "prefix": f"{admin.employer.uscc}/",
    }, status=422 if errors else 200)


@staff_required
@require_POST
def staff_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    colleague = _colleague(request, pk)
    if colleague.user_id == request.user.pk:
        messages.error(request, "不能停用自己的账号。")
    else:
        colleague.user.is_active = not colleague.user.is_active
        colleague.user.save(update_fields=["is_active"])
        messages.success(request, f"已{'启用' if colleague.user.is_active else '停用'}账号。")
    return redirect("office:staff")


@staff_required
@require_POST
def staff_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """Reset: a new temporary password, and the authenticator is bound again at the next sign-in."""
    colleague = _colleague(request, pk)
    password = _temporary_password()
    try:
        validate_password(password, colleague.user)
    except ValidationError:  # pragma: no cover - the generated password always passes
        password = _temporary_password() + "x"
    with transaction.atomic():
        colleague.user.set_password(password)
        colleague.user.save(update_fields=["password"])
        TOTPDevice.objects.filter(user=colleague.user).delete()
    axes_reset(username=colleague.user.get_username())
    messages.success(request, f"已重置并解除登录锁定，新的初始密码 {password}（仅显示一次）；下次登录需重新绑定验证器。")
    return redirect("office:staff")
