"""What the employer's and the ministry's operations share: the router, the key's reach (every lookup goes
through `application_for_employer` or `application_for_reviewer`, which answer 404 for anything outside it),
the case as both see it, its attachments and keyset pages."""

from __future__ import annotations

import base64
import binascii
from typing import Any, Literal

from django.contrib.auth.models import User
from ninja import Router, Schema
from pydantic import ConfigDict, Field

from jianli import paging
from jianli.api import credentials
from jianli.api.auth import key_auth
from jianli.api.bodies import attachments_out, timeline_out
from jianli.api.errors import errors
from jianli.api.models import ApiKey
from jianli.api.schemas import (
    CaseListOut,
)
from jianli.audit import events
from jianli.employers.models import EmployerStaff
from jianli.errors import ServiceError
from jianli.http import JianliRequest
from jianli.registrations import correction, rejection, two_person
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


def key_of(request: JianliRequest) -> ApiKey:
    key: ApiKey = request.auth
    return key


def user_of(request: JianliRequest) -> User:
    return key_of(request).user


def staff_for_key(request: JianliRequest) -> EmployerStaff:
    key = key_of(request)
    staff = EmployerStaff.objects.select_related("employer", "user").filter(user=key.user).first()
    if staff is None or staff.employer_id not in key.employer_ids() or not staff.employer.is_active:
        raise ServiceError("forbidden", "该接口密钥没有企业上报权限。", status=403)
    return staff


def require_scope(request: JianliRequest, scope: str) -> None:
    """The key carries the scope and its user holds the role behind it now: a removed role ends the key's use."""
    if scope not in key_of(request).scopes:
        raise ServiceError("forbidden", "该接口密钥没有审查权限。", status=403)
    missing = credentials.scope_role_missing(user=user_of(request), scope=scope)
    if missing:
        raise ServiceError("forbidden", missing, status=403)


def application_for_employer(request: JianliRequest, application_id: int) -> tuple[Application, EmployerStaff]:
    staff = staff_for_key(request)
    application = (
        Application.objects.select_related("applicant", "employer")
        .filter(pk=application_id, employer_id=staff.employer_id)
        .exclude(state=State.DRAFT)
        .first()
    )
    if application is None:
        raise ServiceError("not_found", "未找到该办件。", status=404)
    return application, staff


def application_for_reviewer(request: JianliRequest, application_id: int) -> Application:
    require_scope(request, "ministry:review")
    application = (
        Application.objects.select_related("applicant", "employer")
        .filter(pk=application_id, reported_at__isnull=False)
        .first()
    )
    if application is None:
        raise ServiceError("not_found", "未找到该办件。", status=404)
    return application


# What case_out reads: not the 申报信息 (data) nor the applicant's mobile and face embedding, which a page of 50
# would otherwise parse and decrypt 50 times over for a list that shows none of them.
CASE_COLUMNS = (
    "id", "number", "business_type", "state", "submitted_at", "reported_at", "deadline", "claimed_by",
    "applicant", "applicant__name", "applicant__id_number", "employer", "employer__name",
)


def case_out(a: Application, user_id: int) -> dict[str, Any]:
    return {
        "id": a.pk,
        "number": a.number,
        "business_type": a.business_type,
        "business_type_label": BusinessType(a.business_type).label,
        "state": a.state,
        "state_label": State(a.state).label,
        "applicant_name": a.applicant.name,
        "applicant_id_number_masked": a.applicant.masked_id_number,
        "employer_name": a.employer.name if a.employer else None,
        "submitted_at": a.submitted_at,
        "reported_at": a.reported_at,
        "deadline": a.deadline,
        "claimed_by_me": a.claimed_by_id == user_id,
    }


def case_detail(request: JianliRequest, a: Application, *, employer_view: bool = False) -> dict[str, Any]:
    """As the consoles show it: the employer sees only the employment facts it confirms, the ministry all."""
    events.personal_data_viewed(request, a.applicant_id, "api:application", application_id=a.pk)
    data = {k: v for k, v in a.data.items() if k in correction.EMPLOYER_FACTS} if employer_view else a.data
    attachments = attachments_out(a)
    if employer_view:
        attachments = [att for att in attachments if att["slot"] in correction.EMPLOYER_FACTS]
    proposal = two_person.pending_proposal(a)
    waiting: dict[str, Any] | None = None
    rejecting = proposal is not None and proposal.decision == Decision.REJECT
    if proposal is not None:
        waiting = {"reason": proposal.reason, "comment": proposal.comment, "created_at": proposal.created_at,
                   "proposed_by_me": proposal.proposed_by_id == user_of(request).pk,
                   "reason_label": rejection.REJECT_REASON_LABELS.get(proposal.reason, "")}
        if not rejecting:
            waiting["reason"] = two_person.second_look_reason(Decision.APPROVE, a)
    return {
        **case_out(a, user_of(request).pk),
        "pending_rejection": waiting if rejecting else None,
        "pending_approval": None if rejecting else waiting,
        "data": data,
        "attachments": attachments,
        "correction_items": [] if employer_view else a.correction_items,
        "timeline": timeline_out(list(a.events.all())),
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


def page_of(request: JianliRequest, qs: Any, cursor: str, limit: int, count: int | None = None) -> dict[str, Any]:
    """Keyset pages on (submitted_at, id), oldest first: as fast on the last page as on the first. The total is
    given on the first page only, never by counting every matching row."""
    page = paging.keyset_page(
        qs.select_related("applicant", "employer").only(*CASE_COLUMNS), _decode_cursor(cursor) if cursor else "",
        newest_first=False, size=limit,
    )
    next_cursor = base64.urlsafe_b64encode(page.next_cursor.encode()).decode() if page.next_cursor else None
    return {
        "count": None if cursor else _bounded_count(qs) if count is None else count,
        "items": [case_out(a, user_of(request).pk) for a in page.rows],
        "next_cursor": next_cursor,
    }


def attachment_content(
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
