"""Operations for integrations: the employer's 企业上报 and the ministry's 部级审核, with API keys and scopes.

Every lookup goes through `_application_for_employer` or `_application_for_reviewer`, which answer 404 for
anything outside the key's reach.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any, Literal

from django.contrib.auth.models import User
from ninja import Query, Router, Schema
from pydantic import ConfigDict, Field

from jianli import paging
from jianli.api import credentials
from jianli.api.applications import _attachments_out
from jianli.api.auth import key_auth
from jianli.api.errors import errors
from jianli.api.schemas import (
    AttachmentContentOut,
    CaseDetailOut,
    CaseListOut,
    CorrectionRequestIn,
    DecisionIn,
    DeclineIn,
    ReturnIn,
    SlotName,
)
from jianli.audit import events
from jianli.employers.models import EmployerStaff
from jianli.errors import ServiceError
from jianli.http import JianliRequest
from jianli.registrations import correction, counts, progress, rejection, services, two_person
from jianli.registrations.models import Application, BusinessType, State
from jianli.registrations.spec import SPECS
from jianli.registrations.two_person import Decision

router = Router(tags=["对接：企业上报与部级审核"], auth=key_auth)

# 429: every API key has a rate limit (JIANLI_RATE_API_KEY_PER_MINUTE), checked when the key is read.
READ = errors(400, 401, 403, 404, 422, 429)
ACT = errors(400, 401, 403, 404, 409, 422, 429)
REVIEW_STATES = (State.AWAITING_REVIEW, State.IN_REVIEW, State.IN_CORRECTION, State.APPROVED, State.REJECTED)


class EmployerListQuery(Schema):
    model_config = ConfigDict(extra="forbid")
    state: Literal["awaiting_employer", "returned", "awaiting_review", "all"] = "awaiting_employer"
    cursor: str = Field("", max_length=200, description="上一页返回的 next_cursor；不传为第一页")
    limit: int = Field(50, ge=1, le=200)


class ReviewListQuery(Schema):
    model_config = ConfigDict(extra="forbid")
    state: Literal["awaiting_review", "in_review", "in_correction", "approved", "rejected", "mine"] = (
        "awaiting_review"
    )
    cursor: str = Field("", max_length=200, description="上一页返回的 next_cursor；不传为第一页")
    limit: int = Field(50, ge=1, le=200)


# Lists whose total is not kept by the workflow are counted up to this many rows (on the first page only).
COUNT_LIMIT = 1000


class CasePageOut(CaseListOut):
    count: int | None = Field(  # type: ignore[assignment]
        description=f"符合条件的办件数：只在第一页给出（按状态的总数取自办理流程维护的计数）；超过 {COUNT_LIMIT} 件或非第一页时为 null"
    )
    next_cursor: str | None = Field(description="下一页的翻页标记（作为 cursor 传入）；没有下一页时为 null")


def _key(request: JianliRequest):  # type: ignore[no-untyped-def]
    return request.auth


def _user(request: JianliRequest) -> User:
    return _key(request).user  # type: ignore[no-any-return]


def _staff_for_key(request: JianliRequest) -> EmployerStaff:
    key = _key(request)
    staff = EmployerStaff.objects.select_related("employer", "user").filter(user=key.user).first()
    if staff is None or staff.employer_id not in key.employer_ids() or not staff.employer.is_active:
        raise ServiceError("forbidden", "该接口密钥没有企业上报权限。", status=403)
    return staff


def _require_scope(request: JianliRequest, scope: str) -> None:
    """The key carries the scope and its user holds the role behind it now: a removed role ends the key's use."""
    if scope not in _key(request).scopes:
        raise ServiceError("forbidden", "该接口密钥没有审查权限。", status=403)
    missing = credentials.scope_role_missing(user=_user(request), scope=scope)
    if missing:
        raise ServiceError("forbidden", missing, status=403)


def _application_for_employer(request: JianliRequest, application_id: int) -> tuple[Application, EmployerStaff]:
    staff = _staff_for_key(request)
    application = (
        Application.objects.select_related("applicant", "employer")
        .filter(pk=application_id, employer_id=staff.employer_id)
        .exclude(state=State.DRAFT)
        .first()
    )
    if application is None:
        raise ServiceError("not_found", "未找到该办件。", status=404)
    return application, staff


def _application_for_reviewer(request: JianliRequest, application_id: int) -> Application:
    _require_scope(request, "ministry:review")
    application = (
        Application.objects.select_related("applicant", "employer")
        .filter(pk=application_id, reported_at__isnull=False)
        .first()
    )
    if application is None:
        raise ServiceError("not_found", "未找到该办件。", status=404)
    return application


def _case(a: Application, user_id: int) -> dict[str, Any]:
    return {
        "id": a.pk,
        "number": a.number,
        "business_type": a.business_type,
        "business_type_label": BusinessType(a.business_type).label,
        "state": a.state,
        "state_label": State(a.state).label,
        "applicant_name": a.applicant.name,
        "applicant_id_number_masked": a.applicant.masked_id_number,
        "employer_name": a.employer.name if a.employer_id else None,  # type: ignore[union-attr]
        "submitted_at": a.submitted_at,
        "reported_at": a.reported_at,
        "deadline": a.deadline,
        "claimed_by_me": a.claimed_by_id == user_id,
    }


def _case_detail(request: JianliRequest, a: Application, *, employer_view: bool = False) -> dict[str, Any]:
    """As the consoles show it: the employer sees only the employment facts it confirms, the ministry all."""
    events.personal_data_viewed(request, a.applicant_id, "api:application", application_id=a.pk)
    data = {k: v for k, v in a.data.items() if k in correction.EMPLOYER_FACTS} if employer_view else a.data
    attachments = _attachments_out(a)
    if employer_view:
        attachments = [att for att in attachments if att["slot"] in correction.EMPLOYER_FACTS]
    proposal = two_person.pending_proposal(a)
    waiting: dict[str, Any] | None = None
    rejecting = proposal is not None and proposal.decision == Decision.REJECT
    if proposal is not None:
        waiting = {"reason": proposal.reason, "comment": proposal.comment, "created_at": proposal.created_at,
                   "proposed_by_me": proposal.proposed_by_id == _user(request).pk,
                   "reason_label": rejection.REJECT_REASON_LABELS.get(proposal.reason, "")}
        if not rejecting:
            waiting["reason"] = two_person.second_look_reason(Decision.APPROVE, a)
    return {
        **_case(a, _user(request).pk),
        "pending_rejection": waiting if rejecting else None,
        "pending_approval": None if rejecting else waiting,
        "data": data,
        "attachments": attachments,
        "correction_items": [] if employer_view else a.correction_items,
        "timeline": [
            {
                "key": s.key,
                "label": s.label,
                "node": s.node.value,
                "node_label": s.node.label,
                "day": s.day,
                "note": s.note,
            }
            for s in progress.timeline(list(a.events.all()))
        ],
    }


def _decode_cursor(cursor: str) -> str:
    """The cursor is opaque to clients (URL-safe base64 of the pages' keyset cursor "<submitted_at>_<id>")."""
    try:
        decoded = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("ascii")
    except (binascii.Error, UnicodeError, ValueError):
        decoded = ""
    if not paging.valid_cursor(decoded):
        raise ServiceError("invalid", "请检查填写的信息。", fields={"cursor": "翻页标记无效，请从第一页重新查询"}, status=422)
    return decoded


def _bounded_count(qs: Any) -> int | None:
    """The number of rows up to COUNT_LIMIT (a COUNT over a LIMITed subquery), None above it."""
    n = qs.values("pk")[: COUNT_LIMIT + 1].count()
    return n if n <= COUNT_LIMIT else None


def _page(request: JianliRequest, qs: Any, cursor: str, limit: int, count: int | None = None) -> dict[str, Any]:
    """Keyset pages on (submitted_at, id), oldest first: as fast on the last page as on the first. The total is
    given on the first page only, never by counting every matching row."""
    page = paging.keyset_page(
        qs.select_related("applicant", "employer"), _decode_cursor(cursor) if cursor else "",
        newest_first=False, size=limit,
    )
    next_cursor = base64.urlsafe_b64encode(page.next_cursor.encode()).decode() if page.next_cursor else None
    return {
        "count": None if cursor else _bounded_count(qs) if count is None else count,
        "items": [_case(a, _user(request).pk) for a in page.rows],
        "next_cursor": next_cursor,
    }


# --- employer ----------------------------------------------------------------------------------------------
@router.get(
    "employer/applications", response={200: CasePageOut, **READ}, summary="企业：待上报与已处理的办件"
)
def employer_list(request: JianliRequest, filters: Query[EmployerListQuery]) -> dict[str, Any]:
    staff = _staff_for_key(request)
    qs = Application.objects.filter(employer_id=staff.employer_id).exclude(state=State.DRAFT)
    if filters.state != "all":
        qs = qs.filter(state=filters.state)
    return _page(request, qs, filters.cursor, filters.limit)


@router.get(
    "employer/applications/{application_id}", response={200: CaseDetailOut, **READ}, summary="企业：办件详情"
)
def employer_read(request: JianliRequest, application_id: int) -> dict[str, Any]:
    application, _ = _application_for_employer(request, application_id)
    return _case_detail(request, application, employer_view=True)


@router.post(
    "employer/applications/{application_id}/report",
    response={200: CaseDetailOut, **ACT},
    summary="企业：确认上报",
)
def employer_report(request: JianliRequest, application_id: int) -> dict[str, Any]:
    application, staff = _application_for_employer(request, application_id)
    services.application_report(application_id=application.pk, staff=staff, request=request)
    return _case_detail(request, _application_for_employer(request, application_id)[0], employer_view=True)


@router.post(
    "employer/applications/{application_id}/return",
    response={200: CaseDetailOut, **ACT},
    summary="企业：退回",
)
def employer_return(request: JianliRequest, application_id: int, payload: ReturnIn) -> dict[str, Any]:
    application, staff = _application_for_employer(request, application_id)
    services.application_return(
        application_id=application.pk, staff=staff, reason=payload.reason, request=request
    )
    return _case_detail(request, _application_for_employer(request, application_id)[0], employer_view=True)


def _attachment_content(
    request: JianliRequest, a: Application, slot: str, allowed: set[str] | None
) -> dict[str, Any]:
    attachment = a.attachments.filter(slot=slot, is_current=True).first()
    if attachment is None or (allowed is not None and slot not in allowed):
        raise ServiceError("not_found", "未找到该材料。", status=404)
    events.personal_data_viewed(request, a.applicant_id, f"attachment:{slot}", a.pk)
    return {
        "slot": slot,
        "label": SPECS[BusinessType(a.business_type)].labels().get(slot, slot),
        "name": attachment.original_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "uploaded_at": attachment.uploaded_at,
        "sha256": attachment.sha256,
        "content": base64.b64encode(attachment.read()).decode(),
    }


@router.get(
    "employer/applications/{application_id}/attachments/{slot}",
    response={200: AttachmentContentOut, **READ},
    summary="企业：下载劳动合同等聘用材料",
)
def employer_attachment(request: JianliRequest, application_id: int, slot: SlotName) -> dict[str, Any]:
    application, _ = _application_for_employer(request, application_id)
    return _attachment_content(request, application, slot, set(correction.EMPLOYER_FACTS))


# --- ministry ----------------------------------------------------------------------------------------------
@router.get("review/applications", response={200: CasePageOut, **READ}, summary="部级审核：办件队列")
def review_list(request: JianliRequest, filters: Query[ReviewListQuery]) -> dict[str, Any]:
    _require_scope(request, "ministry:review")
    if filters.state == "mine":
        qs = Application.objects.filter(state=State.IN_REVIEW, claimed_by=_user(request))
    else:
        qs = Application.objects.filter(state=filters.state, reported_at__isnull=False)
        # The state's total is kept by the workflow: a COUNT here would read every reported application.
        return _page(request, qs, filters.cursor, filters.limit, counts.by_state([filters.state]).get(filters.state, 0))
    return _page(request, qs, filters.cursor, filters.limit)


@router.get(
    "review/applications/{application_id}",
    response={200: CaseDetailOut, **READ},
    summary="部级审核：办件详情",
)
def review_read(request: JianliRequest, application_id: int) -> dict[str, Any]:
    return _case_detail(request, _application_for_reviewer(request, application_id))


@router.get(
    "review/applications/{application_id}/attachments/{slot}",
    response={200: AttachmentContentOut, **READ},
    summary="部级审核：下载材料",
)
def review_attachment(request: JianliRequest, application_id: int, slot: SlotName) -> dict[str, Any]:
    return _attachment_content(request, _application_for_reviewer(request, application_id), slot, None)


@router.post(
    "review/applications/{application_id}/claim",
    response={200: CaseDetailOut, **ACT},
    summary="部级审核：领取",
)
def review_claim(request: JianliRequest, application_id: int) -> dict[str, Any]:
    application = _application_for_reviewer(request, application_id)
    services.application_claim(application_id=application.pk, user=_user(request), request=request)
    return _case_detail(request, _application_for_reviewer(request, application_id))


@router.post(
    "review/applications/{application_id}/release",
    response={200: CaseDetailOut, **ACT},
    summary="部级审核：释放",
)
def review_release(request: JianliRequest, application_id: int) -> dict[str, Any]:
    application = _application_for_reviewer(request, application_id)
    services.application_release(application_id=application.pk, user=_user(request), request=request)
    return _case_detail(request, _application_for_reviewer(request, application_id))


@router.post(
    "review/applications/{application_id}/correction",
    response={200: CaseDetailOut, **ACT},
    summary="部级审核：一次性告知补正",
)
def review_request_correction(
    request: JianliRequest, application_id: int, payload: CorrectionRequestIn
) -> dict[str, Any]:
    application = _application_for_reviewer(request, application_id)
    services.application_request_correction(
        application_id=application.pk,
        user=_user(request),
        problems=[p.model_dump() for p in payload.problems],
        comment=payload.comment,
        request=request,
    )
    return _case_detail(request, _application_for_reviewer(request, application_id))


@router.post(
    "review/applications/{application_id}/decision",
    response={200: CaseDetailOut, **ACT},
    summary="部级审核：准予注册或不予注册",
)
def review_decide(request: JianliRequest, application_id: int, payload: DecisionIn) -> dict[str, Any]:
    application = _application_for_reviewer(request, application_id)
    _require_scope(request, "ministry:decide")
    waiting = two_person.pending_proposal(application)
    if payload.decision == "approve" and waiting is not None and waiting.decision == Decision.APPROVE:
        # An approval waiting for 复核 (two_person.TWO_PERSON): another approver's "approve" agrees with it.
        services.application_approval_confirm(application_id=application.pk, user=_user(request), note=payload.note,
                                              request=request)
    elif payload.decision == "approve":
        services.application_approve(application_id=application.pk, user=_user(request), comment=payload.comment,
                                     request=request)  # type: ignore[arg-type]
    else:
        # The API's one "reject" call: the claimer proposes; an approver (复核), while a proposal waits, confirms.
        if waiting is None or waiting.decision != Decision.REJECT:
            services.application_rejection_propose(
                application_id=application.pk, user=_user(request), reason=payload.reason, comment=payload.comment,
                request=request,
            )
        else:
            services.application_rejection_confirm(
                application_id=application.pk, user=_user(request), note=payload.note, request=request
            )
    return _case_detail(request, _application_for_reviewer(request, application_id))


@router.post(
    "review/applications/{application_id}/rejection/decline",
    response={200: CaseDetailOut, **ACT},
    summary="部级审核：复核不同意不予注册（退回审查人员）",
)
def review_rejection_decline(request: JianliRequest, application_id: int, payload: DeclineIn) -> dict[str, Any]:
    application = _application_for_reviewer(request, application_id)
    _require_scope(request, "ministry:decide")
    services.application_rejection_decline(
        application_id=application.pk, user=_user(request), note=payload.note, request=request
    )
    return _case_detail(request, _application_for_reviewer(request, application_id))


@router.post(
    "review/applications/{application_id}/approval/decline",
    response={200: CaseDetailOut, **ACT},
    summary="部级审核：复核不同意准予注册（退回审查人员）",
)
def review_approval_decline(request: JianliRequest, application_id: int, payload: DeclineIn) -> dict[str, Any]:
    application = _application_for_reviewer(request, application_id)
    _require_scope(request, "ministry:decide")
    services.application_approval_decline(
        application_id=application.pk, user=_user(request), note=payload.note, request=request
    )
    return _case_detail(request, _application_for_reviewer(request, application_id))
