"""部级审核 through an API key: the queue, a case, claim and release, 补正, the decision and its second look."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from ninja import Query

from jianli.api.bodies import read_answer
from jianli.api.integrations.cases import (
    ACT,
    READ,
    CasePageOut,
    ReviewListQuery,
    application_for_reviewer,
    attachment_content,
    case_detail,
    page_of,
    require_scope,
    router,
    user_of,
)
from jianli.api.schemas import (
    AttachmentContentOut,
    CaseDetailOut,
    CorrectionRequestIn,
    DecisionIn,
    DeclineIn,
    SlotName,
)
from jianli.http import JianliRequest
from jianli.registrations import counts, services, two_person
from jianli.registrations.models import Application, State
from jianli.registrations.two_person import Decision


@router.get("review/applications", response={200: CasePageOut, **READ}, summary="部级审核：办件队列")
def review_list(request: JianliRequest, filters: Query[ReviewListQuery]) -> HttpResponse:
    require_scope(request, "ministry:review")
    if filters.state == "mine":
        qs = Application.objects.filter(state=State.IN_REVIEW, claimed_by=user_of(request))
        return read_answer(page_of(request, qs, filters.cursor, filters.limit))
    qs = Application.objects.filter(state=filters.state, reported_at__isnull=False)
    # The state's total is kept by the workflow: a COUNT here would read every reported application.
    total = counts.by_state([filters.state]).get(filters.state, 0)
    return read_answer(page_of(request, qs, filters.cursor, filters.limit, total))


@router.get(
    "review/applications/{application_id}",
    response={200: CaseDetailOut, **READ},
    summary="部级审核：办件详情",
)
def review_read(request: JianliRequest, application_id: int) -> HttpResponse:
    return read_answer(case_detail(request, application_for_reviewer(request, application_id)))


@router.get(
    "review/applications/{application_id}/attachments/{slot}",
    response={200: AttachmentContentOut, **READ},
    summary="部级审核：下载材料",
)
def review_attachment(request: JianliRequest, application_id: int, slot: SlotName) -> dict[str, Any]:
    return attachment_content(request, application_for_reviewer(request, application_id), slot, None)


@router.post(
    "review/applications/{application_id}/claim",
    response={200: CaseDetailOut, **ACT},
    summary="部级审核：领取",
)
def review_claim(request: JianliRequest, application_id: int) -> dict[str, Any]:
    application = application_for_reviewer(request, application_id)
    services.application_claim(application_id=application.pk, user=user_of(request), request=request)
    return case_detail(request, application_for_reviewer(request, application_id))


@router.post(
    "review/applications/{application_id}/release",
    response={200: CaseDetailOut, **ACT},
    summary="部级审核：释放",
)
def review_release(request: JianliRequest, application_id: int) -> dict[str, Any]:
    application = application_for_reviewer(request, application_id)
    services.application_release(application_id=application.pk, user=user_of(request), request=request)
    return case_detail(request, application_for_reviewer(request, application_id))


@router.post(
    "review/applications/{application_id}/correction",
    response={200: CaseDetailOut, **ACT},
    summary="部级审核：一次性告知补正",
)
def review_request_correction(
    request: JianliRequest, application_id: int, payload: CorrectionRequestIn
) -> dict[str, Any]:
    application = application_for_reviewer(request, application_id)
    services.application_request_correction(
        application_id=application.pk,
        user=user_of(request),
        problems=[p.model_dump() for p in payload.problems],
        comment=payload.comment,
        request=request,
    )
    return case_detail(request, application_for_reviewer(request, application_id))


@router.post(
    "review/applications/{application_id}/decision",
    response={200: CaseDetailOut, **ACT},
    summary="部级审核：准予注册或不予注册",
)
def review_decide(request: JianliRequest, application_id: int, payload: DecisionIn) -> dict[str, Any]:
    application = application_for_reviewer(request, application_id)
    require_scope(request, "ministry:decide")
    waiting = two_person.pending_proposal(application)
    if payload.decision == "approve" and waiting is not None and waiting.decision == Decision.APPROVE:
        # An approval waiting for 复核 (two_person.TWO_PERSON): another approver's "approve" agrees with it.
        services.application_approval_confirm(application_id=application.pk, user=user_of(request), note=payload.note,
                                              request=request)
    elif payload.decision == "approve":
        services.application_approve(application_id=application.pk, user=user_of(request), comment=payload.comment,
                                     request=request)
    else:
        # The API's one "reject" call: the claimer proposes; an approver (复核), while a proposal waits, confirms.
        if waiting is None or waiting.decision != Decision.REJECT:
            services.application_rejection_propose(
                application_id=application.pk, user=user_of(request), reason=payload.reason, comment=payload.comment,
                request=request,
            )
        else:
            services.application_rejection_confirm(
                application_id=application.pk, user=user_of(request), note=payload.note, request=request
            )
    return case_detail(request, application_for_reviewer(request, application_id))


@router.post(
    "review/applications/{application_id}/rejection/decline",
    response={200: CaseDetailOut, **ACT},
    summary="部级审核：复核不同意不予注册（退回审查人员）",
)
def review_rejection_decline(request: JianliRequest, application_id: int, payload: DeclineIn) -> dict[str, Any]:
    application = application_for_reviewer(request, application_id)
    require_scope(request, "ministry:decide")
    services.application_rejection_decline(
        application_id=application.pk, user=user_of(request), note=payload.note, request=request
    )
    return case_detail(request, application_for_reviewer(request, application_id))


@router.post(
    "review/applications/{application_id}/approval/decline",
    response={200: CaseDetailOut, **ACT},
    summary="部级审核：复核不同意准予注册（退回审查人员）",
)
def review_approval_decline(request: JianliRequest, application_id: int, payload: DeclineIn) -> dict[str, Any]:
    application = application_for_reviewer(request, application_id)
    require_scope(request, "ministry:decide")
    services.application_approval_decline(
        application_id=application.pk, user=user_of(request), note=payload.note, request=request
    )
    return case_detail(request, application_for_reviewer(request, application_id))
