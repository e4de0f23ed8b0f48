"""不予注册: the legal grounds a reviewer chooses from (declared on the spec), and what a proposal must state."""

from __future__ import annotations

from jianli import text
from jianli.errors import ServiceError
from jianli.registrations.models import Application, RejectionProposal
from jianli.registrations.spec import REJECT_REASONS

REJECT_REASON_LABELS = dict(REJECT_REASONS)


def pending_rejection(application: Application) -> RejectionProposal | None:
    return application.rejection_proposals.filter(outcome=RejectionProposal.Outcome.PENDING, decision="reject").first()


def clean_proposal(reason: str, comment: str) -> str:
    """The explanation the applicant will read; ServiceError when the ground or the explanation is missing."""
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
    return comment
