"""更多: 信息修改 (mobile, 证件照), 操作手册, 常见问题, 联系电话."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from ninja import Router, Status

from jianli import help, images
from jianli.accounts.profile import (
    applicant_mobile_change,
    applicant_photo_change_finish,
    applicant_photo_change_start,
    photo_change_advice,
)
from jianli.api.auth import Caller, applicant_auth
from jianli.api.errors import IMAGES, TOKEN, errors
from jianli.api.schemas import (
    ContactOut,
    Error,
    FaceFinishIn,
    FaceStartOut,
    FaqOut,
    ManualSectionOut,
    MeOut,
    MobileChangeIn,
    PhotoChangeIn,
    PhotoChangeOut,
)
from jianli.api.way_in import decode_base64, face_providers, face_started, me
from jianli.errors import ServiceError
from jianli.http import JianliRequest
from jianli.identity.models import FaceVerification

router = Router(tags=["更多"])


def _caller(request: JianliRequest) -> Caller:
    return request.auth


def photo_credential(caller: Caller) -> str:
    """The sign-in (token family) that started a photo change: another device's sign-in cannot finish it."""
    return f"family:{caller.token.family}"


@router.post("me/mobile", auth=applicant_auth, response={200: MeOut, **TOKEN}, summary="信息修改：手机号码")
def mobile_change(request: JianliRequest, payload: MobileChangeIn) -> dict[str, Any]:
    applicant = _caller(request).applicant
    assert applicant is not None
    applicant_mobile_change(
        applicant=applicant, mobile=payload.mobile, sms_code=payload.sms_code, request=request
    )
    return me(request)


@router.post(
    "me/id-photo",
    auth=applicant_auth,
    response={201: FaceStartOut, **IMAGES, 503: Error},
    summary="信息修改：证件照（第1步：上传新证件照，开始与之比对的人脸识别）",
)
def photo_change(request: JianliRequest, payload: PhotoChangeIn) -> Status:
    applicant = _caller(request).applicant
    assert applicant is not None
    provider = payload.provider or settings.JIANLI_FACE_PROVIDER
    if provider not in face_providers():
        raise ServiceError("invalid", "请检查填写的信息。", fields={"provider": "不支持该识别方式"}, status=422)
    return face_started(
        applicant,
        lambda: applicant_photo_change_start(
            applicant=applicant,
            photo=decode_base64(payload.id_photo, "id_photo"),
            credential=photo_credential(_caller(request)),
            provider=provider,
            request=request,
        ),
    )


@router.post(
    "me/id-photo/{verification_id}/finish",
    auth=applicant_auth,
    response={200: PhotoChangeOut, **IMAGES, 409: Error},
    summary="信息修改：证件照（第2步：提交现场采集；通过后才更换证件照；每次识别只能完成一次）",
)
def photo_change_finish(request: JianliRequest, verification_id: str, payload: FaceFinishIn) -> dict[str, Any]:
    applicant = _caller(request).applicant
    assert applicant is not None
    data: dict[str, Any] = dict(payload.fields)
    data.update({name: decode_base64(value, f"images.{name}") for name, value in payload.images.items()})
    images.check_frames(data, prefix="images.")
    verification = applicant_photo_change_finish(
        applicant=applicant,
        public_id=verification_id,
        credential=photo_credential(_caller(request)),
        payload=data,
        request=request,
    )
    del data
    passed = verification.status == FaceVerification.Status.PASSED
    return {
        "id": verification.public_id,
        "status": verification.status,
        "reason": verification.reason,
        "reason_label": verification.get_reason_display() if verification.reason else "",
        "advice": "证件照已更换" if passed else photo_change_advice(verification),
        "attempts_left": verification.attempts_left,
        "changed": passed,
        "me": me(request),
    }


@router.get("manual", auth=None, response={200: list[ManualSectionOut], **errors(400)}, summary="操作手册")
def manual(request: JianliRequest) -> list[dict[str, Any]]:
    return [{"anchor": s.anchor, "title": s.title, "steps": list(s.steps)} for s in help.MANUAL]


@router.get("faq", auth=None, response={200: list[FaqOut], **errors(400)}, summary="常见问题")
def faq(request: JianliRequest) -> list[dict[str, str]]:
    return [{"question": q, "answer": a} for q, a in help.FAQ]


@router.get("contacts", auth=None, response={200: list[ContactOut], **errors(400)}, summary="联系电话")
def contacts(request: JianliRequest) -> list[dict[str, str]]:
    return [{"name": r["name"], "number": r["number"], "hours": r["hours"]} for r in help.contacts()]
