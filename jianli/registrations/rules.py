"""Who may apply for what, and when (《注册监理工程师管理规定》: the conditions, the six refusal cases, validity and lapse).

Each `check_*` returns None when the applicant may go on, or a `Refusal` that says which rule stops them, why,
and what to do instead. `eligibility()` is asked by the 申报须知 page before anything is typed and again by
submission (pages and API alike), so they refuse alike; at approval `decision_refusal()` asks what may have changed
since (the back office never calls `eligibility()` itself).
The next step is named, not linked: `apply_for` (a business type to apply for instead) or `open_application`
(the open application to look at); each interface turns it into its own link.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from jianli import identifiers, pii
from jianli.dates import prose_date
from jianli.registrations.models import OPEN_STATES, Application, BusinessType, Qualification, Registration

RENEWAL_DAYS_BEFORE_EXPIRY = 30
VALIDITY_YEARS = 3
# Business types that change an existing registration: only one of them may be open at a time.
CHANGES_REGISTRATION = ("renewal", "change", "cancellation", "replacement")
MAX_AGE = 65
QUALIFICATION_FRESH_YEARS = 3
QUALIFICATION_CATEGORY = "土木建筑工程"

RULE_AGE = "（五）年龄超过65周岁的"
RULE_TWO_EMPLOYERS = "（四）在两个或者两个以上单位申请注册的"
RULE_ONE_OPEN = "同一业务在办结前不能重复申请"
RULE_INITIAL_ONCE = "已取得有效注册的，不能再申请初始注册"
RULE_NEEDS_REGISTRATION = "延续注册、变更注册、注销注册和证书更换须有有效注册"
RULE_RENEWAL_WINDOW = "延续注册应在注册有效期届满30日前提出申请"
RULE_EXPIRED = "注册有效期届满未延续注册的，注册失效，须重新申请初始注册"
RULE_QUALIFICATION = "初始注册须取得监理工程师职业资格证书"
RULE_RENEWAL_TOO_EARLY = "延续注册应在注册有效期届满前规定期限内提出申请"
RULE_RENEWAL_EMPLOYER = "延续注册的聘用单位应与注册的聘用单位一致，聘用单位变化的应先办理变更注册"
RULE_ONE_CHANGE = "同一注册在办结前只能办理一件延续、变更、注销或证书更换申请"
RULE_BASIS = "所依据的注册已注销或失效的，申请终止办理"
RULE_CONTINUING_EDUCATION = "（三）未达到监理工程师继续教育要求的"


@dataclass(frozen=True)
class Refusal:
    code: str
    rule: str
    message: str
    next_step: str
    apply_for: str = ""  # a business type
    open_application: int | None = None  # an application's id


def _label(business_type: str) -> str:
    return BusinessType(business_type).label


def _contact() -> str:
    name, phone, *_ = settings.JIANLI_CONTACTS[0]
    return f"{name}（{phone}）"


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def check_age(*, applicant, today: dt.date) -> Refusal | None:  # type: ignore[no-untyped-def]
    """Refuse when the applicant is older than 65 full years on the application day.

    Interpretation: "年龄超过65周岁" is read as in Chinese legal practice, where a full year of age is reached
    the day after the birthday (最高人民法院：周岁自生日的第二日起算). So on the 65th birthday itself the
    applicant is not yet *over* 65 and may apply; from the next day on, the rule refuses.
    """
    if identifiers.age_on(applicant.id_number, today - dt.timedelta(days=1)) < MAX_AGE:
        return None
    return Refusal(
        code="too_old",
        rule=RULE_AGE,
        message="根据您的身份证号码，您的年龄已超过65周岁，不予注册。",
        next_step="如您目前持有有效注册，可申请注销注册；如对年龄有疑问，请咨询" + _contact() + "。",
        apply_for=BusinessType.CANCELLATION.value,
    )


def open_application(*, applicant, business_type: str) -> Application | None:  # type: ignore[no-untyped-def]
    return (
        Application.objects.filter(applicant=applicant, business_type=business_type, state__in=OPEN_STATES)
        .order_by("-submitted_at", "-id")
        .first()
    )


def check_open_application(*, applicant, business_type: str) -> Refusal | None:  # type: ignore[no-untyped-def]
    app = open_application(applicant=applicant, business_type=business_type)
    if app is None:
        return None
    return _open_refusal(app, business_type)


def _open_refusal(app: Application, business_type: str) -> Refusal:
    number = app.number or ""
    return Refusal(
        code="open_application",
        rule=RULE_ONE_OPEN,
        message=f"您已有一件{_label(business_type)}申请{number}正在办理（{app.get_state_display()}），办结前不能再次申请。",
        next_step="请查看该申请的办理进度；如需修改，可在企业上报前撤回后重新申请。",
        open_application=app.pk,
    )


def check_one_employer(*, application: Application, employer_id: int | None) -> Refusal | None:
    """(四): an applicant may not apply with two employers at once — checked at submission, when the employer is known.

    Refused when another open application of the applicant (of any business type) names a different employer.
    """
    if employer_id is None:
        return None
    other = (
        Application.objects.filter(applicant_id=application.applicant_id, state__in=OPEN_STATES)
        .exclude(pk=application.pk)
        .exclude(employer_id=employer_id)
        .exclude(employer_id__isnull=True)
        .select_related("employer")
        .first()
    )
    if other is None:
        return None
    return Refusal(
        code="two_employers",
        rule=RULE_TWO_EMPLOYERS,
        message=f"您已通过{other.employer.name if other.employer else '其他单位'}提交了{_label(other.business_type)}申请"
        f"{other.number or ''}，正在办理中，不能同时通过另一家单位申请。",
        next_step="请等该申请办结，或撤回该申请后，再通过现在的聘用单位申请。",
        open_application=other.pk,
    )


def current_registration(*, applicant) -> Registration | None:  # type: ignore[no-untyped-def]
    return Registration.objects.filter(applicant=applicant).first()


def check_registration_for_type(  # type: ignore[no-untyped-def]
    *, applicant, business_type: str, today: dt.date, registration: Registration | None | bool = False
) -> Refusal | None:
    """Initial registration only without a valid registration; the other four types only with one.

    `registration` may be passed when the caller already loaded it (False means: look it up).
    """
    reg = current_registration(applicant=applicant) if registration is False else registration
    assert reg is None or isinstance(reg, Registration)
    valid = reg is not None and reg.is_valid_on(today)
    if business_type == BusinessType.INITIAL:
        if not valid:
            return None
        assert reg is not None
        return Refusal(
            code="already_registered",
            rule=RULE_INITIAL_ONCE,
            message=f"您已取得监理工程师注册（注册号{reg.number}，有效期至{prose_date(reg.valid_until)}），"
            "不能再申请初始注册。",
            next_step="更换聘用单位或注册专业请申请变更注册；有效期将届满的请申请延续注册。",
            apply_for=BusinessType.CHANGE.value,
        )
    if valid:
        return None
    if reg is not None and reg.status == Registration.Status.VALID and reg.valid_until < today:
        return _expired_refusal(reg)
    return Refusal(
        code="not_registered",
        rule=RULE_NEEDS_REGISTRATION,
        message=f"未查询到您的有效监理工程师注册，不能办理{_label(business_type)}。",
        next_step="尚未注册或注册已失效、已注销的，请申请初始注册。",
        apply_for=BusinessType.INITIAL.value,
    )


def _expired_refusal(reg: Registration) -> Refusal:
    return Refusal(
        code="registration_expired",
        rule=RULE_EXPIRED,
        message=f"您的注册有效期已于{prose_date(reg.valid_until)}届满，不能再申请延续注册。",
        next_step="注册有效期届满未延续的，注册失效，请重新申请初始注册。",
        apply_for=BusinessType.INITIAL.value,
    )


def renewal_deadline(registration: Registration) -> dt.date:
    """The last day a renewal may be filed: 30 days before the expiry date."""
    return registration.valid_until - dt.timedelta(days=RENEWAL_DAYS_BEFORE_EXPIRY)


def renewal_opens_on(registration: Registration) -> dt.date:
    """The first day a renewal may be filed (JIANLI_RENEWAL_OPENS_DAYS before expiry)."""
    days = settings.JIANLI_RENEWAL_OPENS_DAYS
    return registration.valid_until - dt.timedelta(days=days)


def check_renewal_window(*, registration: Registration, today: dt.date) -> Refusal | None:
    """Renewal is filed inside its window: from `renewal_opens_on` to 30 days before expiry (the last day)."""
    if today > registration.valid_until:
        return _expired_refusal(registration)
    first_day = renewal_opens_on(registration)
    if today < first_day:
        return Refusal(
            code="renewal_too_early",
            rule=RULE_RENEWAL_TOO_EARLY,
            message=f"您的注册有效期至{prose_date(registration.valid_until)}，延续注册可在"
            f"{prose_date(first_day)}至{prose_date(renewal_deadline(registration))}期间提出，现在还不能申请。",
            next_step=f"请于{prose_date(first_day)}起申请延续注册。",
        )
    last_day = renewal_deadline(registration)
    if today <= last_day:
        return None
    return Refusal(
        code="renewal_window_passed",
        rule=RULE_RENEWAL_WINDOW,
        message=f"您的注册有效期至{prose_date(registration.valid_until)}，延续注册应在"
        f"{prose_date(last_day)}前（含当日）提出，申请期限已过。",
        next_step=f"注册有效期届满后注册失效，届时请申请初始注册；如有特殊情况，请咨询{_contact()}。",
        apply_for=BusinessType.INITIAL.value,
    )


def renewed_validity(registration: Registration) -> tuple[dt.date, dt.date]:
    """A renewal runs 3 more years from the old expiry; the registration stays continuous, so its start does
    not move (an engineer whose registration is current stays registered today)."""
    return registration.valid_from, add_years(registration.valid_until, VALIDITY_YEARS)


def check_renewal_employer(*, registration: Registration, employer_id: int | None) -> Refusal | None:
    """A renewal is filed through the registered employer; a new employer needs 变更注册 first."""
    if employer_id is None or employer_id == registration.employer_id:
        return None
    return Refusal(
        code="renewal_other_employer",
        rule=RULE_RENEWAL_EMPLOYER,
        message=f"延续注册的聘用单位应为您注册的聘用单位（{registration.employer.name}）。",
        next_step="如已更换聘用单位，请先申请变更注册，办结后再申请延续注册。",
        apply_for=BusinessType.CHANGE.value,
    )


def check_one_change_at_a_time(  # type: ignore[no-untyped-def]
    *, applicant, business_type: str, exclude_pk: int | None = None
) -> Refusal | None:
    """One open application that changes the registration at a time (approving one would void the basis of the
    other: a 注销注册 and a 证书更换 both open). The refusal links to the open one."""
    if business_type not in CHANGES_REGISTRATION:
        return None
    other = (
        Application.objects.filter(
            applicant=applicant, business_type__in=CHANGES_REGISTRATION, state__in=OPEN_STATES
        )
        .exclude(pk=exclude_pk)
        .order_by("submitted_at", "id")
        .first()
    )
    if other is None:
        return None
    return Refusal(
        code="open_change",
        rule=RULE_ONE_CHANGE,
        message=f"您已有一件{_label(other.business_type)}申请{other.number or ''}正在办理"
        f"（{other.get_state_display()}），办结前不能再申请{_label(business_type)}。",
        next_step="请查看该申请的办理进度，待其办结后再申请；如需改办，可在企业上报前撤回该申请。",
        open_application=other.pk,
    )


def check_basis(*, application: Application, today: dt.date) -> Refusal | None:
    """A renewal, change, cancellation or replacement acts on a valid registration; if it was cancelled or lapsed
    while the application waited, the application cannot be approved and is closed (终止办理)."""
    if application.business_type == BusinessType.INITIAL:
        return None
    reg = current_registration(applicant=application.applicant)
    if reg is not None and reg.status == Registration.Status.VALID:
        return None
    status = reg.get_status_display() if reg is not None else "不存在"
    return Refusal(
        code="basis_gone",
        rule=RULE_BASIS,
        message=f"该{_label(application.business_type)}申请所依据的注册已{status.removeprefix('已')}，申请终止办理。",
        next_step="如需继续执业，请重新申请初始注册。",
        apply_for=BusinessType.INITIAL.value,
    )


def continuing_education_hours() -> tuple[int, int]:
    """(compulsory, elective) hours per registration period: JIANLI_CONTINUING_EDUCATION_HOURS, split evenly
    (48 compulsory + 48 elective hours by default)."""
    total = int(settings.JIANLI_CONTINUING_EDUCATION_HOURS)
    return total - total // 2, total // 2


def check_continuing_education(*, data: dict, needed: bool) -> dict[str, str]:  # type: ignore[type-arg]
    """Field errors when the continuing-education hours typed fall short of the requirement."""
    if not needed:
        return {}
    compulsory, elective = continuing_education_hours()
    errors = {}
    for name, label, minimum in (
        ("ce_compulsory_hours", "继续教育必修课学时", compulsory),
        ("ce_elective_hours", "继续教育选修课学时", elective),
    ):
        try:
            hours = int(str(data.get(name) or "").strip())
        except ValueError:
            hours = 0
        if hours < minimum:
            errors[name] = f"{label}应不少于{minimum}学时（{RULE_CONTINUING_EDUCATION}，不予注册）"
    return errors


def check_roster_match(*, applicant, data: dict) -> dict[str, str]:  # type: ignore[no-untyped-def, type-arg]
    """Field errors when the typed 资格证书编号 or 取得日期 differ from the roster's record (资格库)."""
    q = find_qualification(applicant=applicant)
    if q is None:
        return {"qualification_number": _qualification_refusal().message}
    errors = {}
    if str(data.get("qualification_number") or "").strip().upper() != q.certificate_number.upper():
        errors["qualification_number"] = "资格证书编号与监理工程师职业资格库中的记录不符，请按资格证书核对填写"
    if str(data.get("qualification_date") or "").strip() != q.obtained_on.isoformat():
        errors["qualification_date"] = "资格证书取得日期与监理工程师职业资格库中的记录不符，请按资格证书核对填写"
    return errors


def field_problems(*, application: Application, today: dt.date) -> dict[str, str]:
    """Field errors from the roster and the continuing-education requirement (submission and decision alike).

    Initial registration: the typed qualification must match the roster, and whether continuing education is
    due is decided from the roster's 取得日期. Renewal: continuing education of the period is always due."""
    data = application.data or {}
    if application.business_type == BusinessType.INITIAL:
        errors = check_roster_match(applicant=application.applicant, data=data)
        q = find_qualification(applicant=application.applicant)
        needed = q is not None and needs_continuing_education(qualification=q, today=today)
        return {**errors, **check_continuing_education(data=data, needed=needed)}
    if application.business_type == BusinessType.RENEWAL:
        return check_continuing_education(data=data, needed=True)
    return {}


def decision_refusal(*, application: Application, today: dt.date) -> Refusal | None:
    """The rules checked again when the reviewer approves: the basis still there, the renewal's window (on the
    day it was filed) and employer, and no other employer open at once."""
    refusal = check_basis(application=application, today=today)
    if refusal:
        return refusal
    reg = current_registration(applicant=application.applicant)
    if application.business_type == BusinessType.RENEWAL and reg is not None:
        filed = timezone.localdate(application.submitted_at) if application.submitted_at else today
        refusal = check_renewal_window(registration=reg, today=filed) or check_renewal_employer(
            registration=reg, employer_id=application.employer_id
        )
        if refusal:
            return refusal
    return check_one_employer(application=application, employer_id=application.employer_id)


def _matching_qualifications(applicant) -> list[Qualification]:  # type: ignore[no-untyped-def]
    id_hash = getattr(applicant, "id_hash", "") or pii.lookup_hash(applicant.id_number)
    return list(
        Qualification.objects.filter(id_hash=id_hash, name=applicant.name.strip()).order_by("-obtained_on", "-id")
    )


def find_qualification(*, applicant) -> Qualification | None:  # type: ignore[no-untyped-def]
    """The applicant's 土木建筑工程 entry in the roster: same ID number (by its lookup hash) and same name."""
    found = _matching_qualifications(applicant)
    return next((q for q in found if q.category == QUALIFICATION_CATEGORY), None)


def check_qualification(*, applicant) -> Refusal | None:  # type: ignore[no-untyped-def]
    found = _matching_qualifications(applicant)
    if any(q.category == QUALIFICATION_CATEGORY for q in found):
        return None
    if found:
        return Refusal(
            code="qualification_other_category",
            rule=RULE_QUALIFICATION,
            message=f"您的监理工程师职业资格专业类别为{found[0].category}，本系统受理{QUALIFICATION_CATEGORY}"
            "专业的注册申请。",
            next_step=f"{found[0].category}专业请向相应行业主管部门申请注册；如资格信息有误，请联系{_contact()}。",
        )
    return _qualification_refusal()


def _qualification_refusal() -> Refusal:
    return Refusal(
        code="qualification_not_found",
        rule=RULE_QUALIFICATION,
        message="在监理工程师职业资格库中未查询到与您的姓名和身份证号码相符的资格证书。",
        next_step=f"请确认您取得的是{QUALIFICATION_CATEGORY}专业的监理工程师职业资格，且资格证书已在住房和城乡建设部"
        f"登记；姓名或身份证号码有变更的，请联系{_contact()}核实。",
    )


def needs_continuing_education(*, qualification: Qualification, today: dt.date) -> bool:
    """Initial registration later than 3 years after the qualification needs proof of continuing education.

    On the day exactly 3 years after `obtained_on` the applicant is still within the 3 years (False).
    """
    return today > add_years(qualification.obtained_on, QUALIFICATION_FRESH_YEARS)


def eligibility(*, applicant, business_type: str, today: dt.date) -> Refusal | None:  # type: ignore[no-untyped-def]
    """The first refusal for this applicant and business type on `today`, or None. At most three queries.

    Order: age (not for cancellation, which over-65s need), an open application of the same type, the
    registration the type acts on (renewal: its time window), and for initial registration the roster.
    """
    business_type = BusinessType(business_type).value
    if business_type != BusinessType.CANCELLATION:
        refusal = check_age(applicant=applicant, today=today)
        if refusal:
            return refusal
    refusal = check_open_application(applicant=applicant, business_type=business_type)
    if refusal:
        return refusal
    refusal = check_one_change_at_a_time(applicant=applicant, business_type=business_type)
    if refusal:
        return refusal
    reg = current_registration(applicant=applicant)
    refusal = check_registration_for_type(
        applicant=applicant, business_type=business_type, today=today, registration=reg
    )
    if refusal:
        return refusal
    if business_type == BusinessType.RENEWAL and reg is not None:
        refusal = check_renewal_window(registration=reg, today=today)
        if refusal:
            return refusal
    if business_type == BusinessType.INITIAL:
        return check_qualification(applicant=applicant)
    return None
