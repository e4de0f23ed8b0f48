"""企业上报 through an API key: the employer's list, a case, its report or return, and its attachments."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from ninja import Query

from jianli.api.bodies import read_answer
from jianli.api.integrations.cases import (
    ACT,
    READ,
    CasePageOut,
    EmployerListQuery,
    application_for_employer,
    attachment_content,
    case_detail,
    page_of,
    router,
    staff_for_key,
)
from jianli.api.schemas import AttachmentContentOut, CaseDetailOut, ReturnIn, SlotName
from jianli.http import JianliRequest
from jianli.registrations import correction, services
from jianli.registrations.models import Application, State


@router.get(
    "employer/applications", response={200: CasePageOut, **READ}, summary="企业：待上报与已处理的办件"
)
def employer_list(request: JianliRequest, filters: Query[EmployerListQuery]) -> HttpResponse:
    staff = staff_for_key(request)
    qs = Application.objects.filter(employer_id=staff.employer_id).exclude(state=State.DRAFT)
    if filters.state != "all":
        qs = qs.filter(state=filters.state)
    return read_answer(page_of(request, qs, filters.cursor, filters.limit))


@router.get(
    "employer/applications/{application_id}", response={200: CaseDetailOut, **READ}, summary="企业：办件详情"
)
def employer_read(request: JianliRequest, application_id: int) -> HttpResponse:
    application, _ = application_for_employer(request, application_id)
    return read_answer(case_detail(request, application, employer_view=True))


@router.post(
    "employer/applications/{application_id}/report",
    response={200: CaseDetailOut, **ACT},
    summary="企业：确认上报",
)
def employer_report(request: JianliRequest, application_id: int) -> dict[str, Any]:
    application, staff = application_for_employer(request, application_id)
    services.application_report(application_id=application.pk, staff=staff, request=request)
    return case_detail(request, application_for_employer(request, application_id)[0], employer_view=True)


@router.post(
    "employer/applications/{application_id}/return",
    response={200: CaseDetailOut, **ACT},
    summary="企业：退回",
)
def employer_return(request: JianliRequest, application_id: int, payload: ReturnIn) -> dict[str, Any]:
    application, staff = application_for_employer(request, application_id)
    services.application_return(
        application_id=application.pk, staff=staff, reason=payload.reason, request=request
    )
    return case_detail(request, application_for_employer(request, application_id)[0], employer_view=True)


@router.get(
    "employer/applications/{application_id}/attachments/{slot}",
    response={200: AttachmentContentOut, **READ},
    summary="企业：下载劳动合同等聘用材料",
)
def employer_attachment(request: JianliRequest, application_id: int, slot: SlotName) -> dict[str, Any]:
    application, _ = application_for_employer(request, application_id)
    return attachment_content(request, application, slot, set(correction.EMPLOYER_FACTS))
