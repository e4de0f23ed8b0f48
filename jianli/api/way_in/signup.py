"""The registered-user check, the SMS code and 用户注册."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from ninja import Status

from jianli.accounts import services as accounts
from jianli.api import credentials
from jianli.api.auth import profile_auth
from jianli.api.errors import IMAGES, TOKEN, errors
from jianli.api.schemas import (
    CheckIn,
    CheckOut,
    PendingOut,
    RegisterIn,
    SmsCodeIn,
    SmsCodeOut,
)
from jianli.api.way_in.common import decode_base64, profile_of, router
from jianli.errors import ServiceError
from jianli.http import JianliRequest
from jianli.notifications.sms import TransportError


@router.post(
    "applicants/check", auth=profile_auth, response={200: CheckOut, **TOKEN}, summary="验证是否为已注册用户"
)
def applicant_check(request: JianliRequest, payload: CheckIn) -> dict[str, Any]:
    profile = profile_of(request)
    applicant = accounts.registered_user_check(
        name=payload.name, id_number=payload.id_number, request=request
    )
    if applicant is None:
        return {
            "found": False,
            "message": "未查询到该用户，是否前往注册？",
            "pending_token": None,
            "pending_expires_at": None,
        }
    secret, token = credentials.pending_token_issue(applicant=applicant, profile=profile)
    return {
        "found": True,
        "message": "请进行人脸识别。",
        "pending_token": secret,
        "pending_expires_at": token.expires_at,
    }


@router.post(
    "sms-codes",
    auth=profile_auth,
    response={202: SmsCodeOut, **errors(400, 401, 403, 404, 422, 429, 503)},
    summary="获取短信验证码",
)
def sms_code_send(request: JianliRequest, payload: SmsCodeIn) -> Status:
    profile_of(request)
    try:
        code = accounts.sms_code_send(mobile=payload.mobile, request=request)
    except TransportError:
        raise ServiceError("sms_unavailable", "短信发送失败，请稍后再试。", status=503) from None
    return Status(
        202, {"sent": True, "expires_in": accounts.SMS_CODE_TTL, "demo_code": code if settings.DEMO else None}
    )


@router.post(
    "applicants",
    auth=profile_auth,
    response={201: PendingOut, **IMAGES},
    summary="用户注册（姓名、身份证号码、手机号码、短信验证码、证件照）",
)
def applicant_register(request: JianliRequest, payload: RegisterIn) -> Status:
    profile = profile_of(request)
    photo = decode_base64(payload.id_photo, "id_photo")
    applicant = accounts.applicant_register(
        name=payload.name,
        id_number=payload.id_number,
        mobile=payload.mobile,
        sms_code=payload.sms_code,
        id_photo=photo,
        profile=profile,
        request=request,
    )
    secret, token = credentials.pending_token_issue(applicant=applicant, profile=profile)
    return Status(201, {"pending_token": secret, "pending_expires_at": token.expires_at})
