"""Which decisions take two people, declared once: the claimer proposes, a different user in Group "复核" (approver)
agrees, which makes the decision, or sends it back. The workflow's guards and the services read this table; a
decision it does not name is made by the claimer alone.

- 不予注册: always.
- 准予注册 of an 初始注册 whose roster record (资格库) was edited by hand in the admin: the roster is the source of
  truth for the qualification, so a record no import vouches for gets a second look.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from jianli.audit import events
from jianli.errors import Conflict, ServiceError
from jianli.registrations import rules
from jianli.registrations.models import Application, BusinessType, RejectionProposal, State


class Decision(models.TextChoices):
    REJECT = "reject", "不予注册"
    APPROVE = "approve", "准予注册"


def _always(application: Application) -> str:
    return "不予注册须经复核人员同意。"


def _roster_edited_by_hand(application: Application) -> str:
    if application.business_type != BusinessType.INITIAL:
        return ""
    record = rules.find_qualification(applicant=application.applicant)
    if record is None or not record.edited_by_hand:
        return ""
    return f"资格库记录（{record.certificate_number}）经人工修改，准予注册须经复核人员复核。"


TWO_PERSON: dict[str, Callable[[Application], str]] = {
    Decision.REJECT: _always,
    Decision.APPROVE: _roster_edited_by_hand,
}


def second_look_reason(decision: str, application: Application) -> str:
    """Why this decision on this application takes a second person, or "" when the claimer makes it alone."""
    rule = TWO_PERSON.get(decision)
    return rule(application) if rule else ""


def pending_proposal(application: Application | int) -> RejectionProposal | None:
    """The decision waiting for 复核, of either kind (at most one per application)."""
    pk = application if isinstance(application, int) else application.pk
    return RejectionProposal.objects.filter(application_id=pk, outcome=RejectionProposal.Outcome.PENDING).first()


def waiting_words(proposal: RejectionProposal, approve_words: str = "准予注册") -> str:
    """拟不予注册 / 拟准予注册: how a console names what waits for 复核."""
    return "拟" + (approve_words if proposal.decision == Decision.APPROVE else Decision.REJECT.label)


# ---------------------------------------------------------------- the proposals (called by `services` only)


def propose(
    decision: Decision, application_id: int, user: AbstractBaseUser, request: HttpRequest | None, *, reason: str,
    comment: str,
) -> RejectionProposal:
    """The claimer's proposal, while the application stays in review: its state does not change until 复核."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application_id)
        if application.state != State.IN_REVIEW:
            raise Conflict()
        if application.claimed_by_id != user.pk:
            raise Conflict("该办件已由其他审查人员领取，请刷新后查看。")
        waiting = pending_proposal(application)
        if waiting is not None:
            raise Conflict(f"已提请{Decision(waiting.decision).label}，正在等待复核。")
        proposal = RejectionProposal.objects.create(
            application=application, decision=decision, proposed_by_id=user.pk, reason=reason, comment=comment[:2000]
        )
        events.decision_proposed(request, application.pk, application.applicant_id, decision, reason)
    return proposal


def pending_for(application_id: int, user: AbstractBaseUser, decision: Decision) -> RejectionProposal:
    """The proposal of `decision` that `user` may look at a second time: pending, and not their own."""
    proposal = pending_proposal(application_id)
    if proposal is None or proposal.decision != decision:
        raise Conflict(f"没有待复核的{decision.label}，可能已被他人复核，请刷新后查看。")
    if proposal.proposed_by_id == user.pk:
        raise ServiceError("same_person", f"不能复核自己提请的{decision.label}，请由其他复核人员办理。", status=403)
    return proposal


def agree(proposal: RejectionProposal, user: AbstractBaseUser, note: str) -> RejectionProposal:
    """The proposal, locked and marked agreed, inside the transaction that makes the decision."""
    locked = RejectionProposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.outcome != RejectionProposal.Outcome.PENDING:
        raise Conflict("该决定已被他人复核，请刷新后查看。")
    locked.outcome, locked.decided_by_id, locked.decided_at = RejectionProposal.Outcome.AGREED, user.pk, timezone.now()
    locked.decision_note = (note or "").strip()[:1000]
    locked.save()
    return locked


def decline(
    decision: Decision, application_id: int, user: AbstractBaseUser, note: str, request: HttpRequest | None
) -> RejectionProposal:
    """复核不同意: back to the claimer with the note; the application stays in review."""
    proposal = pending_for(application_id, user, decision)
    with transaction.atomic():
        updated = RejectionProposal.objects.filter(pk=proposal.pk, outcome=RejectionProposal.Outcome.PENDING).update(
            outcome=RejectionProposal.Outcome.DECLINED, decided_by_id=user.pk, decided_at=timezone.now(),
            decision_note=note[:1000],
        )
        if not updated:
            raise Conflict("该决定已被他人复核，请刷新后查看。")
        events.decision_declined(request, application_id, proposal.application.applicant_id, decision)
    proposal.refresh_from_db()
    return proposal
