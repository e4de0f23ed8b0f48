"""From a submitted application to a decision: employer report/return, reviewer claim/release/补正/decide,
the applicant's 补正 resubmission, the statutory clock, and the effect of approval on the Registration.

Statutory clock (domain.md §6): the ministry receives an application when the employer reports it
(`reported_at`); the decision is due `DECISION_DAYS[type]` working days later (`deadline`), and a 补正 notice
is due `CORRECTION_NOTICE_DAYS` working days after receipt. Time in 补正 does not count: `paused_at` marks the
start, and when the application is back with the reviewers the deadline moves by the working days paused.

Numbers (unique because they are derived from database keys, never from a counter in the process):
- 注册号 ``PPYYYYNNNNNNNN``: PP the province (2 digits of the employer's 统一社会信用代码 division code),
  YYYY the year of first registration, NNNNNNNN the approving application's id, zero padded (14 characters).
  A person keeps the 注册号 for life: initial registration after a lapse or cancellation reuses it.
- 证书编号 ``JLZYYYYNNNNNNNNNN``: JLZ, the year of issue, the issuing application's id padded to 10 digits.
  Initial registration and 证书更换 issue certificates; renewal and change update the registration that the
  (electronic) certificate shows, so the certificate number stays.

Roles: users in Group "审查" (reviewers) claim, ask for 补正 and approve; the claimer alone acts on a claimed
application. 不予注册 takes two people: the claimer proposes it (拟不予注册, a RejectionProposal) and a user in Group
"复核" (approver) who is not the proposer agrees, which fires REJECT, or sends it back to the reviewer. While a
proposal waits, the claimer cannot approve, release or ask for 补正.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from jianli import text
from jianli.accounts.models import Applicant
from jianli.audit import events
from jianli.employers.models import Employer, EmployerStaff
from jianli.errors import Conflict, ServiceError
from jianli.registrations import calendar, rules, workflow
from jianli.registrations.models import (
    ActorKind,
    Application,
    ApplicationVersion,
    Attachment,
    BusinessType,
    Certificate,
    Registration,
    RejectionProposal,
    State,
)
from jianli.registrations.rules import add_years
from jianli.registrations.spec import CORRECTION_NOTICE_DAYS, REJECT_REASONS, SPECS
from jianli.registrations.workflow import Action, Actor

REVIEWER_GROUP = "审查"
APPROVER_GROUP = "复核"

DECISION_DAYS: dict[str, int] = {t: s.decision_days for t, s in SPECS.items()}
VALIDITY_YEARS = 3

# Facts the employer confirmed when reporting: if a 补正 changes one, the employer confirms again.
EMPLOYER_FACTS = {"employer", "employer_uscc", "leave_date", "change_items", "labour_contract", "termination_proof"}

REJECT_REASON_LABELS = dict(REJECT_REASONS)


# ---------------------------------------------------------------- actors and the clock


def is_reviewer(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.groups.filter(name=REVIEWER_GROUP).exists())


def is_approver(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.groups.filter(name=APPROVER_GROUP).exists())


def is_review_staff(user: Any) -> bool:
    return is_reviewer(user) or is_approver(user)


def pending_rejection(application: Application) -> RejectionProposal | None:
    return application.rejection_proposals.filter(outcome=RejectionProposal.Outcome.PENDING).first()


def _not_waiting_for_second_look(a: Application) -> None:
    if pending_rejection(a) is not None:
        raise ServiceError("pending_rejection", "已提请不予注册，正在等待复核，复核前不能进行其他操作。", status=409)


def employer_actor(staff: EmployerStaff, request: HttpRequest | None = None) -> Actor:
    return Actor(
        ActorKind.EMPLOYER,
        user_id=staff.user_id,
        label=f"{staff.employer.name} {staff.user.first_name or staff.user.get_username()}",
        employer_id=staff.employer_id,
        request=request,
    )


def reviewer_actor(user: AbstractBaseUser, request: HttpRequest | None = None) -> Actor:
    if not is_reviewer(user):
        raise ServiceError("forbidden", "您不是审查人员，无权办理。", status=403)
    label = getattr(user, "first_name", "") or user.get_username()
    return Actor(ActorKind.REVIEWER, user_id=user.pk, label=label, request=request)


def applicant_actor(applicant: Applicant, request: HttpRequest | None = None) -> Actor:
    return Actor(ActorKind.APPLICANT, applicant_id=applicant.pk, label=applicant.name, request=request)


def received_on(application: Application) -> dt.date | None:
    return timezone.localdate(application.reported_at) if application.reported_at else None


def correction_notice_due(application: Application) -> dt.date | None:
    received = received_on(application)
    return calendar.add_working_days(received, CORRECTION_NOTICE_DAYS) if received else None


def days_left(application: Application, today: dt.date | None = None) -> int | None:
    """Working days to the deadline (negative when overdue); None while there is no clock or it is paused."""
    if application.deadline is None or application.paused_at is not None or application.state in (
        State.APPROVED, State.REJECTED, State.WITHDRAWN
    ):
        return None
    return calendar.working_days_between(today or timezone.localdate(), application.deadline)


def _resume_clock(a: Application) -> None:
    if a.paused_at is None or a.deadline is None:
        a.paused_at = None
        return
    paused = calendar.working_days_between(timezone.localdate(a.paused_at), timezone.localdate())
    a.deadline = calendar.add_working_days(a.deadline, max(paused, 0))
    a.paused_at = None


# ---------------------------------------------------------------- employer


def application_report(*, application_id: int, staff: EmployerStaff, request: HttpRequest | None = None) -> Application:
    """确认上报: the ministry receives the application now; the statutory clock starts (or resumes after 补正)."""

    def effect(a: Application) -> None:
        now = timezone.now()
        if a.reported_at is None:
            a.reported_at = now
            a.deadline = calendar.add_working_days(timezone.localdate(now), DECISION_DAYS[a.business_type])
        else:
            _resume_clock(a)

    return workflow.fire(
        application_id, Action.REPORT, actor=employer_actor(staff, request),
        expected_state=State.AWAITING_EMPLOYER, effect=effect,
    )


def application_return(
    *, application_id: int, staff: EmployerStaff, reason: str, request: HttpRequest | None = None
) -> Application:
    reason = text.check((reason or "").strip(), field="reason", label="退回原因", multiline=True)
    if not reason:
        raise ServiceError("invalid", "请填写退回原因", fields={"reason": "请填写退回原因，申请人将据此修改"}, status=422)
    if len(reason) > 500:
        raise ServiceError("invalid", "退回原因过长", fields={"reason": "退回原因请不超过500字"}, status=422)
    return workflow.fire(
        application_id, Action.RETURN, actor=employer_actor(staff, request),
        expected_state=State.AWAITING_EMPLOYER, comment=reason,
    )


# ---------------------------------------------------------------- reviewer


def application_claim(*, application_id: int, user: AbstractBaseUser, request: HttpRequest | None = None) -> Application:
    def effect(a: Application) -> None:
        a.claimed_by_id = user.pk

    return workflow.fire(
        application_id, Action.CLAIM, actor=reviewer_actor(user, request),
        expected_state=State.AWAITING_REVIEW, effect=effect,
    )


def application_release(*, application_id: int, user: AbstractBaseUser, request: HttpRequest | None = None) -> Application:
    def effect(a: Application) -> None:
        _not_waiting_for_second_look(a)
        a.claimed_by_id = None

    return workflow.fire(
        application_id, Action.RELEASE, actor=reviewer_actor(user, request),
        expected_state=State.IN_REVIEW, effect=effect,
    )


def correction_targets(application: Application) -> list[tuple[str, str, str]]:
    """(kind, name, label) of every field, repeatable group (kind "rows": the whole group, e.g. 工程业绩) and
    attachment slot a 补正 may point at, in the order of the form."""
    try:
        from jianli.registrations.spec import SPECS, Rows
    except ImportError:  # pragma: no cover - the wizard's spec not present
        return [("field", k, k) for k in application.data]
    spec = SPECS[BusinessType(application.business_type)]
    data = application.data
    out = [("rows" if isinstance(item, Rows) else "field", item.name, item.label)
           for item in spec.items if item.when(data)]
    out += [("attachment", slot.name, slot.label) for slot in spec.slots if slot.when(data)]
    return out


def application_request_correction(
    *,
    application_id: int,
    user: AbstractBaseUser,
    problems: list[dict[str, str]],
    comment: str = "",
    request: HttpRequest | None = None,
) -> Application:
    """补正 (一次性告知): one complete list of problems, each tied to a field, a repeatable group or an attachment
    slot (see `correction_targets`).

    The statutory clock pauses until the applicant resubmits. Only one 补正 per application: what is still wrong
    after it leads to 不予注册.
    """
    application = Application.objects.get(pk=application_id)
    targets = {(kind, name): label for kind, name, label in correction_targets(application)}
    cleaned: list[dict[str, str]] = []
    errors: dict[str, str] = {}
    for i, p in enumerate(problems):
        kind, name, message = p.get("kind", ""), p.get("name", ""), (p.get("message") or "").strip()
        if not name and not message:
            continue
        if (kind, name) not in targets:
            errors[f"problem_{i}"] = "请选择需要补正的事项"
        elif not message:
            errors[f"problem_{i}"] = "请写明需要如何补正"
        elif wrong := text.problem(message, label="补正说明", multiline=True):
            errors[f"problem_{i}"] = wrong
        else:
            cleaned.append({"kind": kind, "name": name, "label": targets[(kind, name)], "message": message[:500]})
    if errors:
        raise ServiceError("invalid", "补正事项填写不完整", fields=errors, status=422)
    if not cleaned:
        raise ServiceError("invalid", "请至少列出一项补正事项", fields={"problem_0": "请至少列出一项补正事项"}, status=422)
    if application.events.filter(action=Action.REQUEST_CORRECTION).exists():
        raise ServiceError(
            "correction_once",
            "该办件已一次性告知过补正事项，不能再次要求补正；补正后仍不符合要求的，请作出不予注册决定。",
            status=409,
        )

    def effect(a: Application) -> None:
        _not_waiting_for_second_look(a)
        a.correction_items = cleaned
        a.paused_at = timezone.now()
        a.claimed_by_id = None

    return workflow.fire(
        application_id, Action.REQUEST_CORRECTION, actor=reviewer_actor(user, request),
        expected_state=State.IN_REVIEW, comment=(comment or "").strip()[:1000], problems=cleaned, effect=effect,
    )


def _flagged(application: Application, kind: str) -> set[str]:
    return {p["name"] for p in application.correction_items if p.get("kind") == kind}


def correction_attachment_upload(
    *, application: Application, applicant: Applicant, slot: str, filename: str, content: bytes
) -> Attachment:
    """Replace a flagged attachment while in 补正; other slots stay as reported."""
    from jianli.registrations.submission import attachment_upload

    if application.applicant_id != applicant.pk:
        raise ServiceError("not_found", "未找到该申请", status=404)
    if application.state != State.IN_CORRECTION:
        raise ServiceError("state", "该办件当前不在补正中", status=409)
    if slot not in _flagged(application, "attachment"):
        raise ServiceError("not_flagged", "该材料无需补正", fields={slot: "该材料无需补正"}, status=422)
    return attachment_upload(application=application, slot=slot, filename=filename, content=content)


def application_resubmit_correction(
    *,
    application_id: int,
    applicant: Applicant,
    data: dict[str, Any],
    request: HttpRequest | None = None,
) -> Application:
    """补正后提交: only the flagged fields and repeatable groups may change (a flagged group is sent whole, a list
    of row dicts; flagged attachments are uploaded before, see `correction_attachment_upload`). A new
    ApplicationVersion is frozen. If a fact the employer confirmed changed, the employer confirms again (the clock
    stays paused until then); otherwise the reviewers get it back.
    """
    application = Application.objects.get(pk=application_id)
    if application.applicant_id != applicant.pk:
        raise ServiceError("not_found", "未找到该申请", status=404)
    flagged_fields = _flagged(application, "field")
    flagged_rows = _flagged(application, "rows")
    editable = flagged_fields | flagged_rows
    extra = [k for k in data if k not in editable and data[k] != application.data.get(k)]
    if extra:
        raise ServiceError(
            "not_flagged", "只能修改需要补正的事项", fields={k: "该项无需补正，不能修改" for k in extra}, status=422
        )
    changes = {k: v for k, v in data.items() if k in flagged_fields}
    shape_errors: dict[str, str] = {}
    for name in flagged_rows & set(data):
        rows, why = _clean_rows(application, name, data[name])
        if why:
            shape_errors[name] = why
        else:
            changes[name] = rows
    if shape_errors:
        raise ServiceError("invalid", "补正内容有误，请修改", fields=shape_errors, status=422)
    new_data = {**application.data, **changes}
    errors = _validate(application, new_data, editable)
    if errors:
        raise ServiceError("invalid", "补正内容有误，请修改", fields=errors, status=422)
    employer = application.employer
    if "employer" in flagged_fields and new_data.get("employer") != application.data.get("employer"):
        from jianli.registrations.submission import resolve_employer

        employer, message = resolve_employer(str(new_data.get("employer") or ""))
        if employer is None:
            raise ServiceError("invalid", message or "请填写聘用单位", fields={"employer": message or ""}, status=422)

    def effect(a: Application) -> State:
        previous = a.versions.order_by("-version").first()
        current = {att.slot: att for att in a.attachments.filter(is_current=True)}
        attachments = {slot: {"id": att.pk, "name": att.original_name, "sha256": att.sha256} for slot, att in current.items()}
        old_attachments = previous.attachments if previous else {}
        changed = {k for k in set(new_data) | set(a.data) if new_data.get(k) != a.data.get(k)}
        changed |= {s for s in set(attachments) | set(old_attachments)
                    if (attachments.get(s) or {}).get("sha256") != (old_attachments.get(s) or {}).get("sha256")}
        employer_changed = employer is not None and employer.pk != a.employer_id
        a.data = new_data
        a.employer = employer
        a.version += 1
        ApplicationVersion.objects.create(
            application=a, version=a.version, data=new_data, attachments=attachments,
            employer_id_at=employer.pk if employer else None,
        )
        a.correction_items = []
        if employer_changed or changed & EMPLOYER_FACTS:
            return State.AWAITING_EMPLOYER
        _resume_clock(a)
        return State.AWAITING_REVIEW

    return workflow.fire(
        application_id, Action.RESUBMIT_CORRECTION, actor=applicant_actor(applicant, request),
        expected_state=State.IN_CORRECTION, effect=effect,
    )


def _clean_rows(application: Application, name: str, value: Any) -> tuple[list[dict[str, str]], str]:
    """A repeatable group as sent (form or API): a list of row dicts with the group's columns; rows left empty
    are dropped. Returns (rows, "") or ([], why the shape is wrong); the values are checked by `validate`."""
    from jianli.registrations.spec import SPECS, Rows
    from jianli.registrations.submission import MAX_ROWS

    group = next(i for i in SPECS[BusinessType(application.business_type)].items
                 if isinstance(i, Rows) and i.name == name)
    columns = [c.name for c in group.columns]
    if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
        return [], f"{group.label}应为多条记录"
    if any(set(r) - set(columns) for r in value):
        return [], f"{group.label}含有不支持的项目"
    if any(not isinstance(v, str | None) for r in value for v in r.values()):
        return [], f"{group.label}的每一项应为文本"
    rows = [{c: str(r.get(c) or "").strip()[:200] for c in columns} for r in value]
    rows = [r for r in rows if any(r.values())]
    if len(rows) > MAX_ROWS:
        return [], f"{group.label}最多填写{MAX_ROWS}条"
    return rows, ""


def _validate(application: Application, data: dict[str, Any], names: set[str]) -> dict[str, str]:
    try:
        from jianli.registrations.spec import SPECS
        from jianli.registrations.submission import validate
    except ImportError:  # pragma: no cover
        return {}
    errors = validate(SPECS[BusinessType(application.business_type)], data, today=timezone.localdate())
    return {k: v for k, v in errors.items() if k.split(".")[0].split("-")[0] in names}


# ---------------------------------------------------------------- decision and its effect


def application_approve(
    *, application_id: int, user: AbstractBaseUser, comment: str = "", request: HttpRequest | None = None
) -> Application:
    """准予注册: the registration changes in the same transaction as the decision.

    The business type's rules are checked again first: an application whose basis vanished (its registration
    was cancelled meanwhile) is closed with the reason stated (终止办理) and returned so; any other rule that no
    longer holds refuses the approval and names it, so the reviewer proposes 不予注册 instead."""
    text.check((comment or "").strip(), field="comment", label="审核意见", multiline=True)
    application = Application.objects.select_related("applicant").get(pk=application_id)
    today = timezone.localdate()
    refusal = rules.decision_refusal(application=application, today=today) if application.state == State.IN_REVIEW else None
    if refusal is not None and refusal.code == "basis_gone":
        return application_close(application_id=application.pk, reason=refusal.message)
    problems = rules.field_problems(application=application, today=today) if refusal is None else {}
    if refusal is not None or problems:
        message = refusal.message + refusal.next_step if refusal else "；".join(problems.values()) + "。"
        raise ServiceError(
            "rule", f"不能准予：{message}请作出不予注册决定或要求补正。", fields=problems, status=409
        )

    def effect(a: Application) -> None:
        _not_waiting_for_second_look(a)
        a.decided_at = timezone.now()
        a.decision_reason = ""
        a.decision_comment = (comment or "").strip()[:2000]
        a.registration = registration_apply(application=a, today=timezone.localdate(a.decided_at))

    return workflow.fire(
        application_id, Action.APPROVE, actor=reviewer_actor(user, request),
        expected_state=State.IN_REVIEW, comment=(comment or "").strip()[:2000], effect=effect,
    )


def application_close(*, application_id: int, reason: str) -> Application:
    """终止办理 (by the system): the application's basis vanished; the reason is stated to the applicant."""

    def effect(a: Application) -> None:
        a.decided_at = timezone.now()
        a.decision_reason = ""
        a.decision_comment = reason
        a.claimed_by_id = None

    return workflow.fire(
        application_id, Action.CLOSE, actor=Actor(ActorKind.SYSTEM, label="系统"), comment=reason, effect=effect
    )


def application_propose_rejection(
    *, application_id: int, user: AbstractBaseUser, reason: str, comment: str = "", request: HttpRequest | None = None
) -> RejectionProposal:
    """拟不予注册: the claimer gives a legal reason from REJECT_REASONS and an explanation for the applicant;
    an approver (复核) then agrees (`application_reject`) or sends it back (`rejection_decline`)."""
    reviewer_actor(user, request)
    comment = (comment or "").strip()
    errors = {}
    wrong = text.problem(comment, label="不予注册的理由", multiline=True)
    if wrong:
        errors["comment"] = wrong
    if reason not in REJECT_REASON_LABELS:
        errors["reason"] = "请选择不予注册的法定理由"
    if not comment:
        errors["comment"] = "请写明不予注册的具体理由，申请人将看到这段说明"
    if errors:
        raise ServiceError("invalid", "请完整填写不予注册的理由", fields=errors, status=422)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application_id)
        if application.state != State.IN_REVIEW:
            raise Conflict()
        if application.claimed_by_id != user.pk:
            raise Conflict("该办件已由其他审查人员领取，请刷新后查看。")
        if pending_rejection(application) is not None:
            raise Conflict("已提请不予注册，正在等待复核。")
        proposal = RejectionProposal.objects.create(
            application=application, proposed_by_id=user.pk, reason=reason, comment=comment[:2000]
        )
        events.rejection_proposed(request, application.pk, application.applicant_id, reason)
    return proposal


def _second_look(application_id: int, user: AbstractBaseUser) -> RejectionProposal:
    if not is_approver(user):
        raise ServiceError("forbidden", "只有复核人员可以复核不予注册。", status=403)
    proposal = RejectionProposal.objects.filter(
        application_id=application_id, outcome=RejectionProposal.Outcome.PENDING
    ).first()
    if proposal is None:
        raise Conflict("没有待复核的不予注册，可能已被他人复核，请刷新后查看。")
    if proposal.proposed_by_id == user.pk:
        raise ServiceError("same_person", "不能复核自己提请的不予注册，请由其他复核人员办理。", status=403)
    return proposal


def application_reject(
    *,
    application_id: int,
    user: AbstractBaseUser,
    reason: str = "",
    comment: str = "",
    note: str = "",
    request: HttpRequest | None = None,
) -> Application:
    """不予注册. From the approver (复核) while a proposal waits, it decides. From the claimer (the API's single
    "reject" call), it proposes (see `application_propose_rejection`) and returns the application still in review.
    """
    application = Application.objects.get(pk=application_id)
    if pending_rejection(application) is None:
        application_propose_rejection(
            application_id=application_id, user=user, reason=reason, comment=comment, request=request
        )
        return Application.objects.get(pk=application_id)
    proposal = _second_look(application_id, user)
    label = getattr(user, "first_name", "") or user.get_username()
    actor = Actor(ActorKind.REVIEWER, user_id=user.pk, label=f"复核 {label}", request=request, second_look=True)

    def effect(a: Application) -> None:
        locked = RejectionProposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.outcome != RejectionProposal.Outcome.PENDING:
            raise Conflict("该不予注册已被他人复核，请刷新后查看。")
        now = timezone.now()
        locked.outcome, locked.decided_by_id, locked.decided_at = RejectionProposal.Outcome.AGREED, user.pk, now
        locked.decision_note = (note or "").strip()[:1000]
        locked.save()
        a.decided_at = now
        a.decision_reason = locked.reason
        a.decision_comment = locked.comment

    return workflow.fire(
        application_id, Action.REJECT, actor=actor, expected_state=State.IN_REVIEW,
        comment=f"{REJECT_REASON_LABELS.get(proposal.reason, proposal.reason)}：{proposal.comment}"[:2000], effect=effect,
    )


def rejection_decline(
    *, application_id: int, user: AbstractBaseUser, note: str, request: HttpRequest | None = None
) -> RejectionProposal:
    """复核不同意: the proposal goes back to the reviewer with the approver's note; the application stays in review."""
    note = (note or "").strip()
    if not note:
        raise ServiceError("invalid", "请填写复核意见", fields={"note": "请写明不同意的理由，审查人员将据此处理"}, status=422)
    proposal = _second_look(application_id, user)
    with transaction.atomic():
        updated = RejectionProposal.objects.filter(pk=proposal.pk, outcome=RejectionProposal.Outcome.PENDING).update(
            outcome=RejectionProposal.Outcome.DECLINED, decided_by_id=user.pk, decided_at=timezone.now(),
            decision_note=note[:1000],
        )
        if not updated:
            raise Conflict("该不予注册已被他人复核，请刷新后查看。")
        events.rejection_declined(request, application_id, proposal.application.applicant_id)
    proposal.refresh_from_db()
    return proposal


def registration_number(employer: Employer, application: Application, today: dt.date) -> str:
    return f"{employer.uscc[2:4]}{today:%Y}{application.pk:08d}"


def certificate_issue(registration: Registration, application: Application, today: dt.date) -> Certificate:
    return Certificate.objects.create(
        number=f"JLZ{today:%Y}{application.pk:010d}", registration=registration, issued_on=today
    )


def _current_registration(application: Application) -> Registration:
    registration = Registration.objects.select_for_update().filter(applicant_id=application.applicant_id).first()
    if registration is None or registration.status != Registration.Status.VALID:
        raise ServiceError("no_registration", "申请人没有有效的注册，不能办理该业务。", status=409)
    return registration


def registration_apply(*, application: Application, today: dt.date) -> Registration:
    """Apply an approved application's business type to the engineer's Registration (inside the transition)."""
    kind = application.business_type
    if kind == BusinessType.INITIAL:
        return _initial(application, today)
    registration = _current_registration(application)
    if kind == BusinessType.RENEWAL:
        registration.valid_from, registration.valid_until = rules.renewed_validity(registration)
    elif kind == BusinessType.CHANGE:
        items = application.data.get("change_items") or []
        if application.employer_id and ("employer" in items or not items):
            registration.employer_id = application.employer_id
        if application.data.get("specialties") and ("specialty" in items or not items):
            registration.specialties = list(application.data["specialties"])[:2]
    elif kind == BusinessType.CANCELLATION:
        registration.status = Registration.Status.CANCELLED
        _close_others(application, registration)
        registration.certificates.filter(status=Certificate.Status.VALID).update(
            status=Certificate.Status.REVOKED, voided_on=today
        )
    elif kind == BusinessType.REPLACEMENT:
        registration.certificates.filter(status=Certificate.Status.VALID).update(
            status=Certificate.Status.REPLACED, voided_on=today
        )
        certificate_issue(registration, application, today)
    registration.save()
    return registration


def _close_others(application: Application, registration: Registration) -> None:
    """Open applications that act on a registration now cancelled are closed at once, never left stuck."""
    others = Application.objects.filter(
        applicant_id=application.applicant_id, business_type__in=rules.CHANGES_REGISTRATION,
        state__in=workflow.TRANSITIONS[Action.CLOSE].sources,
    ).exclude(pk=application.pk)
    reason = f"注册{registration.number}已注销，该申请终止办理。"
    for pk in others.values_list("pk", flat=True):
        application_close(application_id=pk, reason=reason)


def _initial(application: Application, today: dt.date) -> Registration:
    if application.employer is None:
        raise ServiceError("no_employer", "该办件没有聘用单位，不能准予注册。", status=409)
    registration = Registration.objects.select_for_update().filter(applicant_id=application.applicant_id).first()
    if registration is not None and registration.status == Registration.Status.VALID and registration.valid_until >= today:
        raise ServiceError("already_registered", "申请人已有有效注册，不能重复初始注册。", status=409)
    if registration is None:
        registration = Registration(
            applicant_id=application.applicant_id, number=registration_number(application.employer, application, today)
        )
    registration.employer = application.employer
    registration.specialties = list(application.data.get("specialties") or [])[:2]
    registration.qualification_number = str(application.data.get("qualification_number") or "")[:40]
    registration.valid_from = today
    registration.valid_until = add_years(today, VALIDITY_YEARS) - dt.timedelta(days=1)
    registration.status = Registration.Status.VALID
    registration.save()
    registration.certificates.filter(status=Certificate.Status.VALID).update(
        status=Certificate.Status.REVOKED, voided_on=today
    )
    certificate_issue(registration, application, today)
    return registration


# ---------------------------------------------------------------- versions


@dataclass(frozen=True)
class DiffRow:
    kind: str  # field | rows | attachment
    name: str
    label: str
    old: Any  # for rows: one line of text per row ("工程名称：…；担任职务：…")
    new: Any


def _row_lines(columns: dict[str, str], rows: Any) -> list[str]:
    if not isinstance(rows, list):
        return []
    return [
        "；".join(f"{label}：{row.get(name) or '—'}" for name, label in columns.items())
        for row in rows if isinstance(row, dict)
    ]


def version_diff(application: Application) -> list[DiffRow]:
    """What changed between the last two versions, field by field, group by group and attachment by attachment."""
    from jianli.registrations.spec import SPECS, Rows

    versions = list(application.versions.order_by("-version")[:2])
    if len(versions) < 2:
        return []
    new, old = versions
    labels = {name: label for _, name, label in correction_targets(application)}
    groups = {i.name: {c.name: c.label for c in i.columns}
              for i in SPECS[BusinessType(application.business_type)].items if isinstance(i, Rows)}
    rows = []
    for name in sorted(set(old.data) | set(new.data), key=lambda n: list(labels).index(n) if n in labels else 999):
        if old.data.get(name) == new.data.get(name):
            continue
        if name in groups:
            rows.append(DiffRow("rows", name, labels.get(name, name),
                                _row_lines(groups[name], old.data.get(name)),
                                _row_lines(groups[name], new.data.get(name))))
        else:
            rows.append(DiffRow("field", name, labels.get(name, name), old.data.get(name), new.data.get(name)))
    for slot in sorted(set(old.attachments) | set(new.attachments)):
        a, b = old.attachments.get(slot) or {}, new.attachments.get(slot) or {}
        if a.get("sha256") != b.get("sha256"):
            rows.append(DiffRow("attachment", slot, labels.get(slot, slot), a.get("name"), b.get("name")))
    return rows
