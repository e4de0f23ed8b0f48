"""Every action on an application, the one way in for the pages, the API, the consoles, the demo and the tests.

These functions are the only callers of `workflow.fire`: each checks its input, then fires one transition whose
guard (in `workflow.TRANSITIONS`) is checked again on the locked row. They are named `application_<action>`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest
from django.utils import timezone

from jianli import text
from jianli.accounts.models import Applicant
from jianli.employers.models import EmployerStaff
from jianli.errors import Conflict, ServiceError
from jianli.registrations import clock, correction, effects, roles, rules, two_person, versions
from jianli.registrations.models import ActorKind, Application, BusinessType, RejectionProposal, State
from jianli.registrations.read_once import read_once
from jianli.registrations.rejection import REJECT_REASON_LABELS, clean_proposal
from jianli.registrations.submission import (
    EDITABLE_STATES,
    roster_sync,
    submission_employer,
    submission_problems,
)
from jianli.registrations.two_person import Decision
from jianli.registrations.workflow import TRANSITIONS, Action, Actor, Effect, fire

# ---------------------------------------------------------------- applicant


def _submit(application: Application, applicant: Applicant, request: HttpRequest | None, action: Action) -> Application:
    if application.applicant_id != applicant.pk:
        raise ServiceError("not_found", "未找到该申请", status=404)
    if application.state not in EDITABLE_STATES:
        return application
    with read_once():  # the checks here and the transition's guard and freeze ask the same of the roster and employers
        roster_sync(application)
        problems = submission_problems(application)
        if not problems:
            problems = rules.field_problems(application=application, today=timezone.localdate())
        if problems:
            raise ServiceError("incomplete", "申报信息不完整，请修改后再提交", fields=problems, status=422)

        def freeze(a: Application) -> None:
            a.employer = submission_employer(a)
            a.expires_at = None
            versions.version_freeze(a, a.employer)
            if a.number is None:
                a.submitted_at = timezone.now()
                a.issue_number()

        try:
            return fire(application.pk, action, actor=roles.applicant_actor(applicant, request),
                        expected_state=application.state, effect=freeze)
        except Conflict:
            application.refresh_from_db()
            if application.state not in EDITABLE_STATES:
                return application
            raise


def application_submit(*, application: Application, applicant: Applicant, request: HttpRequest | None = None) -> Application:
    """提交申请. Idempotent: a second submit of the same draft (double click, two tabs) returns the first result."""
    return _submit(application, applicant, request, Action.SUBMIT)


def application_resubmit(
    *, application: Application, applicant: Applicant, request: HttpRequest | None = None
) -> Application:
    """重新提交 after the employer returned the application; idempotent like `application_submit`."""
    return _submit(application, applicant, request, Action.RESUBMIT)


def application_withdraw(
    *, application: Application, applicant: Applicant, expected_state: str, request: HttpRequest | None = None
) -> Application:
    """撤回业务: kept as withdrawn, nothing deleted. A change of state since the page was shown is a Conflict."""
    return fire(application.pk, Action.WITHDRAW, actor=roles.applicant_actor(applicant, request),
                expected_state=expected_state, comment="申请人撤回")


def application_resubmit_correction(
    *, application_id: int, applicant: Applicant, data: dict[str, Any], request: HttpRequest | None = None
) -> Application:
    """补正后提交: only the flagged items change (flagged attachments are uploaded before, see
    `correction.correction_attachment_upload`) and a new version is frozen. If a fact the employer confirmed
    changed, the employer confirms again (the clock stays paused until then); otherwise the reviewers get it back.
    """
    application = Application.objects.get(pk=application_id)
    if application.applicant_id != applicant.pk:
        raise ServiceError("not_found", "未找到该申请", status=404)
    new_data, employer = correction.clean_resubmission(application, data)

    def effect(a: Application) -> State:
        previous = a.versions.order_by("-version").first()
        old_attachments = previous.attachments if previous else {}
        attachments = versions.attachments_of(a)
        changed = {k for k in set(new_data) | set(a.data) if new_data.get(k) != a.data.get(k)}
        changed |= {s for s in set(attachments) | set(old_attachments)
                    if (attachments.get(s) or {}).get("sha256") != (old_attachments.get(s) or {}).get("sha256")}
        employer_changed = employer is not None and employer.pk != a.employer_id
        a.data = new_data
        a.employer = employer
        versions.version_freeze(a, employer)
        a.correction_items = []
        if employer_changed or changed & correction.EMPLOYER_FACTS:
            return State.AWAITING_EMPLOYER
        clock.resume(a)
        return State.AWAITING_REVIEW

    return fire(application_id, Action.RESUBMIT_CORRECTION, actor=roles.applicant_actor(applicant, request),
                expected_state=State.IN_CORRECTION, effect=effect)


# ---------------------------------------------------------------- employer


def application_report(*, application_id: int, staff: EmployerStaff, request: HttpRequest | None = None) -> Application:
    """确认上报: the ministry receives the application now; the statutory clock starts (or resumes after 补正)."""
    return fire(application_id, Action.REPORT, actor=roles.employer_actor(staff, request),
                expected_state=State.AWAITING_EMPLOYER, effect=clock.start_or_resume)


def application_return(
    *, application_id: int, staff: EmployerStaff, reason: str, request: HttpRequest | None = None
) -> Application:
    reason = text.check((reason or "").strip(), field="reason", label="退回原因", multiline=True)
    if not reason:
        raise ServiceError("invalid", "请填写退回原因", fields={"reason": "请填写退回原因，申请人将据此修改"}, status=422)
    if len(reason) > 500:
        raise ServiceError("invalid", "退回原因过长", fields={"reason": "退回原因请不超过500字"}, status=422)
    return fire(application_id, Action.RETURN, actor=roles.employer_actor(staff, request),
                expected_state=State.AWAITING_EMPLOYER, comment=reason)


# ---------------------------------------------------------------- ministry: reviewer


def application_claim(*, application_id: int, user: AbstractBaseUser, request: HttpRequest | None = None) -> Application:
    def effect(a: Application) -> None:
        a.claimed_by_id = user.pk

    return fire(application_id, Action.CLAIM, actor=roles.reviewer_actor(user, request),
                expected_state=State.AWAITING_REVIEW, effect=effect)


def application_release(*, application_id: int, user: AbstractBaseUser, request: HttpRequest | None = None) -> Application:
    def effect(a: Application) -> None:
        a.claimed_by_id = None

    return fire(application_id, Action.RELEASE, actor=roles.reviewer_actor(user, request),
                expected_state=State.IN_REVIEW, effect=effect)


def application_reassign(
    *, application_id: int, lead: AbstractBaseUser, to: AbstractBaseUser, request: HttpRequest | None = None
) -> Application:
    """改派: a team lead (组长; the console checks the role) hands a waiting or claimed file to a reviewer."""
    def effect(a: Application) -> None:
        if two_person.pending_proposal(a) is not None:
            raise ServiceError("pending_rejection", "已提请的决定正在等待复核，复核前不能改派。", status=409)
        if a.claimed_by_id == to.pk:
            raise ServiceError("same", "该办件已由这位审查人员审查。", status=409)
        a.claimed_by_id = to.pk

    actor = Actor(ActorKind.REVIEWER, user_id=lead.pk, label=roles.name_of(lead), request=request, team_lead=True)
    return fire(application_id, Action.REASSIGN, actor=actor, effect=effect, comment=f"组长改派：{roles.name_of(to)}")


def application_request_correction(
    *,
    application_id: int,
    user: AbstractBaseUser,
    problems: list[dict[str, str]],
    comment: str = "",
    request: HttpRequest | None = None,
) -> Application:
    """补正 (一次性告知): one complete list of problems (see `correction.clean_problems`). The statutory clock pauses
    until the applicant resubmits. Only one 补正 per application: what is still wrong after it leads to 不予注册."""
    application = Application.objects.get(pk=application_id)
    cleaned = correction.clean_problems(application, problems)
    if application.events.filter(action=Action.REQUEST_CORRECTION).exists():
        raise ServiceError(
            "correction_once",
            "该办件已一次性告知过补正事项，不能再次要求补正；补正后仍不符合要求的，请作出不予注册决定。",
            status=409,
        )

    def effect(a: Application) -> None:
        a.correction_items = cleaned
        clock.pause(a)
        a.claimed_by_id = None

    return fire(application_id, Action.REQUEST_CORRECTION, actor=roles.reviewer_actor(user, request),
                expected_state=State.IN_REVIEW, comment=(comment or "").strip()[:1000], problems=cleaned, effect=effect)


def _approval_refused(application: Application) -> Application | None:
    """The business type's rules, checked again before approving (and before 复核 agrees): an application whose basis
    vanished (its registration was cancelled meanwhile) is closed with the reason stated (终止办理) and returned
    so; any other rule that no longer holds refuses the approval and names it, so the reviewer proposes 不予注册
    instead."""
    today = timezone.localdate()
    refusal = rules.decision_refusal(application=application, today=today) if application.state == State.IN_REVIEW else None
    if refusal is not None and refusal.code == "basis_gone":
        return application_close(application_id=application.pk, reason=refusal.message)
    problems = rules.field_problems(application=application, today=today) if refusal is None else {}
    if refusal is not None or problems:
        message = refusal.message + refusal.next_step if refusal else "；".join(problems.values()) + "。"
        raise ServiceError("rule", f"不能准予：{message}请作出不予注册决定或要求补正。", fields=problems, status=409)
    return None


def _approval(comment: str) -> Effect:
    def effect(a: Application) -> None:
        a.decided_at = timezone.now()
        a.decision_reason = ""
        a.decision_comment = comment
        a.registration = effects.registration_apply(application=a, today=timezone.localdate(a.decided_at))
        if a.business_type == BusinessType.CANCELLATION:
            _close_others(a, a.registration.number)

    return effect


def application_approve(
    *, application_id: int, user: AbstractBaseUser, comment: str = "", request: HttpRequest | None = None
) -> Application:
    """准予注册: the registration changes in the same transaction as the decision. When `two_person` says this
    approval takes a second look, it is proposed instead (拟准予注册, see `application_approval_confirm`) and the
    application, still in review, is returned."""
    text.check((comment or "").strip(), field="comment", label="审核意见", multiline=True)
    comment = (comment or "").strip()[:2000]
    application = Application.objects.select_related("applicant").get(pk=application_id)
    closed = _approval_refused(application)
    if closed is not None:
        return closed
    if application.state == State.IN_REVIEW and two_person.second_look_reason(Decision.APPROVE, application):
        roles.reviewer_actor(user, request)
        two_person.propose(Decision.APPROVE, application_id, user, request, reason="", comment=comment)
        application.refresh_from_db()
        return application
    return fire(application_id, Action.APPROVE, actor=roles.reviewer_actor(user, request),
                expected_state=State.IN_REVIEW, comment=comment, effect=_approval(comment))


def _close_others(application: Application, registration_number: str) -> None:
    """Open applications that act on a registration now cancelled are closed at once, never left stuck."""
    others = Application.objects.filter(
        applicant_id=application.applicant_id, business_type__in=rules.CHANGES_REGISTRATION,
        state__in=TRANSITIONS[Action.CLOSE].sources,
    ).exclude(pk=application.pk)
    reason = f"注册{registration_number}已注销，该申请终止办理。"
    for pk in others.values_list("pk", flat=True):
        application_close(application_id=pk, reason=reason)


def application_close(*, application_id: int, reason: str) -> Application:
    """终止办理 (by the system): the application's basis vanished; the reason is stated to the applicant."""

    def effect(a: Application) -> None:
        a.decided_at = timezone.now()
        a.decision_reason = ""
        a.decision_comment = reason
        a.claimed_by_id = None
        a.rejection_proposals.filter(outcome=RejectionProposal.Outcome.PENDING).update(
            outcome=RejectionProposal.Outcome.CLOSED, decided_at=a.decided_at, decision_note=reason)

    return fire(application_id, Action.CLOSE, actor=roles.SYSTEM, comment=reason, effect=effect)


# ---------------------------------------------------------------- ministry: decisions that take two people


def application_rejection_propose(
    *, application_id: int, user: AbstractBaseUser, reason: str, comment: str = "", request: HttpRequest | None = None
) -> RejectionProposal:
    """拟不予注册: the claimer gives a legal reason (see `rejection.REJECT_REASONS`) and an explanation for the
    applicant; an approver (复核) then agrees (`application_rejection_confirm`) or sends it back
    (`application_rejection_decline`). The application stays in review meanwhile."""
    roles.reviewer_actor(user, request)
    comment = clean_proposal(reason, comment)
    return two_person.propose(Decision.REJECT, application_id, user, request, reason=reason, comment=comment)


def application_rejection_confirm(
    *, application_id: int, user: AbstractBaseUser, note: str = "", request: HttpRequest | None = None
) -> Application:
    """复核同意: 不予注册 is decided with the proposal's reason and explanation."""
    actor = roles.approver_actor(user, request)
    proposal = two_person.pending_for(application_id, user, Decision.REJECT)

    def effect(a: Application) -> None:
        locked = two_person.agree(proposal, user, note)
        a.decided_at = locked.decided_at
        a.decision_reason = locked.reason
        a.decision_comment = locked.comment

    return fire(
        application_id, Action.REJECT, actor=actor, expected_state=State.IN_REVIEW,
        comment=f"{REJECT_REASON_LABELS.get(proposal.reason, proposal.reason)}：{proposal.comment}"[:2000], effect=effect,
    )


def application_approval_confirm(
    *, application_id: int, user: AbstractBaseUser, note: str = "", request: HttpRequest | None = None
) -> Application:
    """复核同意 a proposed 准予注册: the rules are checked again, then the approval is made as the claimer asked."""
    actor = roles.approver_actor(user, request)
    proposal = two_person.pending_for(application_id, user, Decision.APPROVE)
    closed = _approval_refused(proposal.application)
    if closed is not None:
        return closed
    approve = _approval(proposal.comment)

    def effect(a: Application) -> None:
        two_person.agree(proposal, user, note)
        approve(a)

    return fire(application_id, Action.APPROVE, actor=actor, expected_state=State.IN_REVIEW,
                comment=proposal.comment, effect=effect)


def _decline(
    decision: Decision, application_id: int, user: AbstractBaseUser, note: str, request: HttpRequest | None
) -> RejectionProposal:
    note = (note or "").strip()
    if not note:
        raise ServiceError("invalid", "请填写复核意见", fields={"note": "请写明不同意的理由，审查人员将据此处理"}, status=422)
    roles.approver_actor(user, request)
    return two_person.decline(decision, application_id, user, note, request)


def application_rejection_decline(
    *, application_id: int, user: AbstractBaseUser, note: str, request: HttpRequest | None = None
) -> RejectionProposal:
    """复核不同意: the proposal goes back to the reviewer with the approver's note; the application stays in review."""
    return _decline(Decision.REJECT, application_id, user, note, request)


def application_approval_decline(
    *, application_id: int, user: AbstractBaseUser, note: str, request: HttpRequest | None = None
) -> RejectionProposal:
    """复核不同意 a proposed 准予注册: back to the reviewer with the note, who may then ask for 补正 or propose
    不予注册 (approving again proposes it again)."""
    return _decline(Decision.APPROVE, application_id, user, note, request)
