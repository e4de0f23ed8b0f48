"""The employer console (企业上报): the company's applications only, 确认上报 / 退回, and the company's staff."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.db.models import Case, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianli import staff_signin as signin
from jianli.employers import services as staff_accounts
from jianli.employers.models import EmployerStaff
from jianli.errors import ServiceError
from jianli.identifiers import InvalidIdentifier, clean_uscc
from jianli.paging import keyset_page
from jianli.presentation import attachment_response, data_rows
from jianli.registrations import correction, services
from jianli.registrations.expiry import REMINDER_DAYS
from jianli.registrations.models import Application, Attachment, BusinessType, Registration, State
from jianli.replica import replica_reads

OFFICE_STATES = [State.AWAITING_EMPLOYER, State.RETURNED, State.AWAITING_REVIEW, State.IN_REVIEW,
                 State.IN_CORRECTION, State.APPROVED, State.REJECTED, State.WITHDRAWN]


def is_employer_staff(user: User) -> bool:
    staff = _staff_with_employer(user) if user.is_authenticated else None
    return bool(staff and user.is_active and staff.employer.is_active)


def _staff_with_employer(user: User) -> EmployerStaff | None:
    """user.employer_staff with its employer read in one query, left on the user for the rest of the request."""
    related = User.employer_staff.related  # type: ignore[attr-defined]
    if related.is_cached(user):
        return getattr(user, "employer_staff", None)
    staff = EmployerStaff.objects.select_related("employer").filter(user=user).first()
    related.set_cached_value(user, staff)
    if staff is not None:
        EmployerStaff._meta.get_field("user").set_cached_value(staff, user)
    return staff


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


# What a row of the list shows: not the 申报信息 (data) nor the applicant's encrypted columns.
LIST_COLUMNS = ("id", "number", "business_type", "state", "submitted_at", "applicant", "applicant__name")
# What a line of 本单位注册人员 shows: the person's name, not their encrypted ID number, mobile or face.
ENGINEER_COLUMNS = ("id", "number", "specialties", "valid_until", "status", "over_age_flagged_on", "applicant",
                    "applicant__name")
# 待企业上报 counts up to this and then says "999+": a bounded count however large the employer.
WAITING_SHOWN = 999


@staff_required
@replica_reads
def home(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    qs = (Application.objects.filter(employer_id=staff.employer_id).exclude(state=State.DRAFT)
          .select_related("applicant").only(*LIST_COLUMNS))
    state, kind = request.GET.get("state", ""), request.GET.get("type", "")
    if state in State.values:
        qs = qs.filter(state=state)
    if kind in BusinessType.values:
        qs = qs.filter(business_type=kind)
    page = keyset_page(qs, request.GET.get("after", ""), newest_first=True)
    waiting = (Application.objects.filter(employer_id=staff.employer_id, state=State.AWAITING_EMPLOYER)
               [:WAITING_SHOWN + 1].count())
    return render(request, "office/home.html", {
        "staff": staff, "page": page, "state": state, "type": kind, "waiting": min(waiting, WAITING_SHOWN),
        "waiting_more": waiting > WAITING_SHOWN,
        "states": [(s.value, s.label) for s in OFFICE_STATES], "types": BusinessType.choices,
    })


@staff_required
@replica_reads
def detail(request: HttpRequest, number: str) -> HttpResponse:
    app = _application_for_staff(request, number)
    return render(request, "office/detail.html", _detail_context(request, app))


def _employment_attachments(app: Application) -> list[Attachment]:
    return list(app.attachments.filter(is_current=True, slot__in=correction.EMPLOYER_FACTS).order_by("slot"))


def _detail_context(request: HttpRequest, app: Application, **extra: object) -> dict[str, object]:
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
    return attachment_response(request, app, att)


@staff_required
@require_POST
def report(request: HttpRequest, number: str) -> HttpResponse:
    app = _application_for_staff(request, number)
    try:
        services.application_report(application_id=app.pk, staff=_staff(request), request=request)
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
        services.application_return(application_id=app.pk, staff=_staff(request), reason=reason, request=request)
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


def _staff_action_failed(request: HttpRequest, e: ServiceError) -> HttpResponse:
    if e.status == 404:
        raise Http404(e.message)
    messages.error(request, e.message)
    return redirect("office:staff")


@staff_required
@replica_reads
def engineers(request: HttpRequest) -> HttpResponse:
    """本单位注册人员: the company's registered engineers, the soonest expiry first, so renewals are not missed."""
    staff = _staff(request)
    registrations = (
        Registration.objects.filter(employer_id=staff.employer_id)
        .select_related("applicant").only(*ENGINEER_COLUMNS)
        .order_by(Case(When(status=Registration.Status.VALID, then=0), default=1), "valid_until", "id")
    )
    page = Paginator(registrations, 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(request, "office/engineers.html", {
        "staff": staff, "page": page, "today": today, "soon": today + dt.timedelta(days=max(REMINDER_DAYS)),
    })


@staff_required
def staff_list(request: HttpRequest) -> HttpResponse:
    admin = _admin_required(request)
    values = {"username": request.POST.get("username", "").strip(), "name": request.POST.get("name", "").strip()}
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            _, password = staff_accounts.employer_staff_create(
                admin=admin, username=values["username"], name=values["name"], request=request
            )
        except ServiceError as e:
            errors = e.fields or {"username": e.message}
        else:
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
    """停用 an active account, 启用 a disabled one."""
    admin = _admin_required(request)
    try:
        colleague = staff_accounts.colleague_of(admin=admin, staff_id=pk)
        colleague = staff_accounts.employer_staff_set_active(
            admin=admin, staff_id=pk, active=not colleague.user.is_active, request=request
        )
    except ServiceError as e:
        return _staff_action_failed(request, e)
    messages.success(request, f"已{'启用' if colleague.user.is_active else '停用'}账号。")
    return redirect("office:staff")


@staff_required
@require_POST
def staff_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """Reset: a new temporary password, and the authenticator is bound again at the next sign-in."""
    admin = _admin_required(request)
    try:
        _, password = staff_accounts.employer_staff_reset(admin=admin, staff_id=pk, request=request)
    except ServiceError as e:
        return _staff_action_failed(request, e)
    messages.success(request, f"已重置并解除登录锁定，新的初始密码 {password}（仅显示一次）；下次登录需重新绑定验证器。")
    return redirect("office:staff")
