"""更多: 信息修改 (mobile, 证件照), 操作手册, 常见问题, 联系电话."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from jianli.api.auth import Caller, applicant_auth
from jianli.api.errors import IMAGES, TOKEN, errors
from jianli.api.schemas import ContactOut, FaqOut, ManualSectionOut, MeOut, MobileChangeIn, PhotoChangeIn
from jianli.api.way_in import decode_base64, me

router = Router(tags=["更多"])


def _caller(request: HttpRequest) -> Caller:
    return request.auth  # type: ignore[attr-defined,no-any-return]


@router.post("me/mobile", auth=applicant_auth, response={200: MeOut, **TOKEN}, summary="信息修改：手机号码")
def mobile_change(request: HttpRequest, payload: MobileChangeIn) -> dict[str, Any]:
    from jianli.portal.profile import applicant_mobile_change

    applicant = _caller(request).applicant
    assert applicant is not None
    applicant_mobile_change(
        applicant=applicant, mobile=payload.mobile, sms_code=payload.sms_code, request=request
    )
    return me(request)


@router.post("me/id-photo", auth=applicant_auth, response={200: MeOut, **IMAGES}, summary="信息修改：证件照")
def photo_change(request: HttpRequest, payload: PhotoChangeIn) -> dict[str, Any]:
    from jianli.portal.profile import applicant_photo_change

    applicant = _caller(request).applicant
    assert applicant is not None
    applicant_photo_change(
        applicant=applicant,
        photo=decode_base64(payload.id_photo, "id_photo"),
        capture=decode_base64(payload.capture, "capture"),
        request=request,
    )
    return me(request)


@router.get("manual", auth=None, response={200: list[ManualSectionOut], **errors(400)}, summary="操作手册")
def manual(request: HttpRequest) -> list[dict[str, Any]]:
    from jianli.portal.more import MANUAL

    return [{"anchor": s.anchor, "title": s.title, "steps": list(s.steps)} for s in MANUAL]


@router.get("faq", auth=None, response={200: list[FaqOut], **errors(400)}, summary="常见问题")
def faq(request: HttpRequest) -> list[dict[str, str]]:
    from jianli.portal.more import FAQ

    return [{"question": q, "answer": a} for q, a in FAQ]


@router.get("contacts", auth=None, response={200: list[ContactOut], **errors(400)}, summary="联系电话")
def contacts(request: HttpRequest) -> list[dict[str, str]]:
    from jianli.portal.more import contacts as rows

    return [{"name": r["name"], "number": r["number"], "hours": r["hours"]} for r in rows()]
