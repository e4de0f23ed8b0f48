"""Rules about the applications and the registration: one open application per type, one employer (四), one
change at a time, which types need a registration, the renewal's window and employer, and the basis still there."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from jianli.accounts import fixed_reads
from jianli.accounts.models import Applicant
from jianli.dates import prose_date
from jianli.registrations.models import OPEN_STATES, Application, BusinessType, Registration
from jianli.registrations.rules.refusal import (
    CHANGES_REGISTRATION,
    RENEWAL_DAYS_BEFORE_EXPIRY,
    RULE_BASIS,
    RULE_EXPIRED,
    RULE_INITIAL_ONCE,
    RULE_NEEDS_REGISTRATION,
    RULE_ONE_CHANGE,
    RULE_ONE_OPEN,
    RULE_RENEWAL_EMPLOYER,
    RULE_RENEWAL_TOO_EARLY,
    RULE_RENEWAL_WINDOW,
    RULE_TWO_EMPLOYERS,
    VALIDITY_YEARS,
    Refusal,
    add_years,
    contact,
    label,
)

# The reads the checks at each submission make: statements written once (fixed_reads).
OPEN_OF_TYPE = fixed_reads.Select(Application, where=("applicant", "business_type"), among={"state": OPEN_STATES},
                                  order=("-submitted_at", "-id"))
OPEN_WITH_EMPLOYER = fixed_reads.Select(Application, where=("applicant",), among={"state": OPEN_STATES},
                                        related="employer")
REGISTRATION_OF = fixed_reads.Select(Registration, where=("applicant",))


def open_application(*, applicant: Applicant, business_type: str) -> Application | None:
    found: Application | None = OPEN_OF_TYPE.first(applicant, business_type)
    return found


def check_open_application(*, applicant: Applicant, business_type: str) -> Refusal | None:
    app = open_application(applicant=applicant, business_type=business_type)
    if app is None:
        return None
    return _open_refusal(app, business_type)


def _open_refusal(app: Application, business_type: str) -> Refusal:
    number = app.number or ""
    return Refusal(
        code="open_application",
        rule=RULE_ONE_OPEN,
        message=f"您已有一件{label(business_type)}申请{number}正在办理（{app.get_state_display()}），办结前不能再次申请。",
        next_step="请查看该申请的办理进度；如需修改，可在企业上报前撤回后重新申请。",
        open_application=app.pk,
    )


def check_one_employer(*, application: Application, employer_id: int | None) -> Refusal | None:
    """(四): an applicant may not apply with two employers at once — checked at submission, when the employer is known.

    Refused when another open application of the applicant (of any business type) names a different employer.
    """
    if employer_id is None:
        return None
    other = next((a for a in OPEN_WITH_EMPLOYER.rows(application.applicant_id)
                  if a.pk != application.pk and a.employer_id not in (None, employer_id)), None)
    if other is None:
        return None
    return Refusal(
        code="two_employers",
        rule=RULE_TWO_EMPLOYERS,
        message=f"您已通过{other.employer.name if other.employer else '其他单位'}提交了{label(other.business_type)}申请"
        f"{other.number or ''}，正在办理中，不能同时通过另一家单位申请。",
        next_step="请等该申请办结，或撤回该申请后，再通过现在的聘用单位申请。",
        open_application=other.pk,
    )


def current_registration(*, applicant: Applicant) -> Registration | None:
    found: Registration | None = REGISTRATION_OF.first(applicant)
    return found


def check_registration_for_type(
    *, applicant: Applicant, business_type: str, today: dt.date, registration: Registration | None | bool = False
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
        message=f"未查询到您的有效监理工程师注册，不能办理{label(business_type)}。",
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
        next_step=f"注册有效期届满后注册失效，届时请申请初始注册；如有特殊情况，请咨询{contact()}。",
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


def check_one_change_at_a_time(
    *, applicant: Applicant, business_type: str, exclude_pk: int | None = None
) -> Refusal | None:
    """One open application that changes the registration at a time (approving one would void the basis of the
    other: a 注销注册 and a 证书更换 both open). The refusal links to the open one."""
    if business_type not in CHANGES_REGISTRATION:
        return None
    open_changes = Application.objects.filter(
        applicant=applicant, business_type__in=CHANGES_REGISTRATION, state__in=OPEN_STATES
    )
    if exclude_pk is not None:
        open_changes = open_changes.exclude(pk=exclude_pk)
    other = open_changes.order_by("submitted_at", "id").first()
    if other is None:
        return None
    return Refusal(
        code="open_change",
        rule=RULE_ONE_CHANGE,
        message=f"您已有一件{label(other.business_type)}申请{other.number or ''}正在办理"
        f"（{other.get_state_display()}），办结前不能再申请{label(business_type)}。",
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
        message=f"该{label(application.business_type)}申请所依据的注册已{status.removeprefix('已')}，申请终止办理。",
        next_step="如需继续执业，请重新申请初始注册。",
        apply_for=BusinessType.INITIAL.value,
    )
