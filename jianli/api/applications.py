"""The applicant's applications: the form of each business type, drafts, attachments, submit, progress,
withdraw and 补正. Every lookup goes through `_application_for_applicant` or `_draft_for_applicant`."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from ninja import File, Header, Router, Status
from ninja.files import UploadedFile

from jianli.accounts import fixed_reads
from jianli.accounts.models import Applicant
from jianli.api import bodies
from jianli.api.auth import Caller, applicant_auth
from jianli.api.errors import TOKEN, errors
from jianli.api.idempotency import fingerprint, run_once
from jianli.api.schemas import (
    ApplicationDetailOut,
    ApplicationOut,
    AttachmentContentOut,
    AttachmentOut,
    BusinessTypeName,
    CorrectionIn,
    DraftOut,
    DraftSaveIn,
    FormOut,
    ProgressIn,
    ProgressOut,
    SlotName,
    WithdrawIn,
)
from jianli.errors import ServiceError
from jianli.http import JianliRequest
from jianli.registrations import correction, progress, services, submission
from jianli.registrations.models import Application, BusinessType, State
from jianli.registrations.read_once import read_once
from jianli.registrations.spec import SPECS

router = Router(tags=["申请人：办件"])

UPLOAD_ERRORS = errors(400, 401, 403, 404, 409, 413, 422, 429)


def _applicant(request: JianliRequest) -> Applicant:
    caller: Caller = request.auth
    assert caller.applicant is not None
    return caller.applicant


OWN_APPLICATION = fixed_reads.Select(Application, where=("pk", "applicant"), related="employer")


def _application_for_applicant(request: JianliRequest, application_id: int) -> Application:
    """The caller's own submitted application, or 404 (never 403: do not confirm that it exists)."""
    application = OWN_APPLICATION.first(application_id, _applicant(request).pk)
    if application is None or application.state == State.DRAFT:
        raise ServiceError("not_found", "未找到该申请。", status=404)
    return application


def _draft_for_applicant(request: JianliRequest, business_type: str, *, roster_sync: bool = True) -> Application:
    draft = submission.draft_get(applicant=_applicant(request), business_type=BusinessType(business_type))
    if draft is None:
        raise ServiceError("not_found", "还没有该业务的草稿，请先创建。", status=404)
    return submission.roster_sync(draft) if roster_sync else draft


# --- operations ----------------------------------------------------------------------------------------
@router.get(
    "forms/{business_type}", auth=None, response={200: FormOut, **errors(400, 404, 422)}, summary="申报信息表单"
)
def form(request: JianliRequest, business_type: BusinessTypeName) -> dict[str, Any]:
    spec = SPECS[BusinessType(business_type)]
    return {
        "business_type": business_type,
        "fields": [bodies.field_out(i) for i in spec.items],
        "slots": [
            {"name": s.name, "label": s.label, "required": s.required, "hint": s.hint} for s in spec.slots
        ],
    }


@router.post(
    "drafts/{business_type}", auth=applicant_auth, response={200: DraftOut, **TOKEN}, summary="创建或取回草稿"
)
def draft_create(request: JianliRequest, business_type: BusinessTypeName) -> dict[str, Any]:
    with read_once():  # the new draft's prefill and the sync ask the roster the same question
        draft = submission.draft_get_or_create(applicant=_applicant(request), business_type=BusinessType(business_type))
        return bodies.draft_out(submission.roster_sync(draft))


@router.get(
    "drafts/{business_type}",
    auth=applicant_auth,
    response={200: DraftOut, **TOKEN},
    summary="读取草稿（也返回企业已退回、待修改后重新提交的申请）",
)
def draft_read(request: JianliRequest, business_type: BusinessTypeName) -> dict[str, Any]:
    return bodies.draft_out(_draft_for_applicant(request, business_type))


@router.patch(
    "drafts/{business_type}",
    auth=applicant_auth,
    response={200: DraftOut, **errors(400, 401, 403, 404, 409, 422, 429)},
    summary="保存草稿（按步骤）",
)
def draft_update(
    request: JianliRequest, business_type: BusinessTypeName, payload: DraftSaveIn
) -> dict[str, Any]:
    draft = _draft_for_applicant(request, business_type)
    spec = SPECS[BusinessType(business_type)]
    changes = spec.clean(payload.data)
    # The draft was just synced with the roster: its locked fields hold the roster's record.
    roster = {name: draft.data.get(name, "") for name in submission.roster_fields(spec)}
    refused = submission.roster_mismatch(spec, changes, roster)
    if refused:
        raise ServiceError("roster_locked", "资格信息以监理工程师职业资格库为准，不能修改。", fields=refused, status=422)
    changes = {k: v for k, v in changes.items() if k not in roster}
    draft = submission.draft_save(application=draft, data={**draft.data, **changes}, step=payload.step)
    return bodies.draft_out(draft)


@router.post(
    "drafts/{business_type}/attachments/{slot}",
    auth=applicant_auth,
    response={201: AttachmentOut, **UPLOAD_ERRORS},
    summary="上传材料（multipart/form-data，字段 file）",
)
def draft_attachment_upload(
    request: JianliRequest, business_type: BusinessTypeName, slot: SlotName, file: File[UploadedFile]
) -> Status[dict[str, Any]]:
    draft = _draft_for_applicant(request, business_type, roster_sync=False)  # a file does not touch the roster's fields
    attachment = submission.attachment_upload(
        application=draft, slot=slot, filename=file.name or slot, content=file.read()
    )
    return Status(201, bodies.attachment_out(draft, attachment))


@router.get(
    "drafts/{business_type}/attachments/{slot}",
    auth=applicant_auth,
    response={200: AttachmentContentOut, **TOKEN},
    summary="下载草稿中本人上传的材料",
)
def draft_attachment_read(request: JianliRequest, business_type: BusinessTypeName, slot: SlotName) -> dict[str, Any]:
    return bodies.attachment_content(_draft_for_applicant(request, business_type), slot)


@router.get(
    "applications/{application_id}/attachments/{slot}",
    auth=applicant_auth,
    response={200: AttachmentContentOut, **TOKEN},
    summary="下载本人申请中的材料",
)
def application_attachment_read(request: JianliRequest, application_id: int, slot: SlotName) -> dict[str, Any]:
    return bodies.attachment_content(_application_for_applicant(request, application_id), slot)


@router.post(
    "drafts/{business_type}/submit",
    auth=applicant_auth,
    response={201: ApplicationOut, **errors(400, 401, 403, 404, 409, 422, 429)},
    summary="提交申请（可带 Idempotency-Key 请求头，重复请求返回首次结果）",
)
def draft_submit(
    request: JianliRequest,
    business_type: BusinessTypeName,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),  # type: ignore[assignment]
) -> Status[dict[str, Any]]:
    applicant = _applicant(request)

    def work() -> tuple[int, dict[str, Any]]:
        draft = _draft_for_applicant(request, business_type, roster_sync=False)  # the submission syncs it
        submit = services.application_resubmit if draft.state == State.RETURNED else services.application_submit
        application = submit(application=draft, applicant=applicant, request=request)
        return 201, ApplicationOut(**bodies.application_out(application)).model_dump(mode="json")

    return run_once(
        principal=f"applicant:{applicant.pk}",
        key=idempotency_key,
        fingerprint_=fingerprint("POST", request.path, None),
        work=work,
    )


@router.get(
    "applications",
    auth=applicant_auth,
    response={200: list[ApplicationOut], **errors(400, 401)},
    summary="我的申请",
)
def application_list(request: JianliRequest) -> list[dict[str, Any]]:
    applications = (
        Application.objects.select_related("employer")
        .filter(applicant=_applicant(request))
        .exclude(state=State.DRAFT)
        .order_by("-submitted_at", "-id")[:100]
    )
    return [bodies.application_out(a) for a in applications]


@router.get(
    "applications/{application_id}",
    auth=applicant_auth,
    response={200: ApplicationDetailOut, **TOKEN},
    summary="申请详情与办理进度",
)
def application_read(request: JianliRequest, application_id: int) -> HttpResponse:
    return bodies.read_answer(bodies.application_detail(_application_for_applicant(request, application_id)))


@router.post(
    "applications/{application_id}/withdraw",
    auth=applicant_auth,
    response={200: ApplicationDetailOut, **errors(400, 401, 403, 404, 409, 422, 429)},
    summary="撤回业务",
)
def application_withdraw(request: JianliRequest, application_id: int, payload: WithdrawIn) -> dict[str, Any]:
    application = _application_for_applicant(request, application_id)
    services.application_withdraw(
        application=application,
        applicant=_applicant(request),
        expected_state=payload.expected_state,
        request=request,
    )
    return bodies.application_detail(_application_for_applicant(request, application_id))


@router.post(
    "applications/{application_id}/correction/attachments/{slot}",
    auth=applicant_auth,
    response={201: AttachmentOut, **UPLOAD_ERRORS},
    summary="补正：重新上传需补正的材料",
)
def correction_attachment_upload(
    request: JianliRequest, application_id: int, slot: SlotName, file: File[UploadedFile]
) -> Status[dict[str, Any]]:
    application = _application_for_applicant(request, application_id)
    attachment = correction.correction_attachment_upload(
        application=application,
        applicant=_applicant(request),
        slot=slot,
        filename=file.name or slot,
        content=file.read(),
    )
    return Status(201, bodies.attachment_out(application, attachment))


@router.post(
    "applications/{application_id}/correction",
    auth=applicant_auth,
    response={200: ApplicationDetailOut, **errors(400, 401, 403, 404, 409, 422, 429)},
    summary="补正后提交（只能修改需补正的事项）",
)
def correction_submit(request: JianliRequest, application_id: int, payload: CorrectionIn) -> dict[str, Any]:
    application = _application_for_applicant(request, application_id)
    data = SPECS[BusinessType(application.business_type)].clean(payload.data)
    services.application_resubmit_correction(
        application_id=application.pk, applicant=_applicant(request), data=data, request=request
    )
    return bodies.application_detail(_application_for_applicant(request, application_id))


@router.post(
    "progress",
    auth=applicant_auth,
    response={200: ProgressOut, **TOKEN},
    summary="进度查询（姓名、证件号码、业务类型；只答复本人）",
)
def progress_query(request: JianliRequest, payload: ProgressIn) -> dict[str, Any]:
    found = progress.progress_lookup(
        request=request, name=payload.name, id_number=payload.id_number, business_type=payload.business_type
    )
    return {"applications": [bodies.application_detail(a) for a in found]}
