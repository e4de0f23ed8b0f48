"""The way in: 头像和昵称, the registered-user check, SMS, 用户注册, face verification, tokens."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any

from django.conf import settings
from ninja import File, Router, Status
from ninja.files import UploadedFile

from jianli import images
from jianli.accounts import services as accounts
from jianli.accounts.models import Applicant, Profile
from jianli.api import credentials
from jianli.api.auth import Caller, applicant_auth, pending_auth, profile_auth
from jianli.api.errors import IMAGES, TOKEN, errors
from jianli.api.schemas import (
    CatalogueOut,
    CheckIn,
    CheckOut,
    Error,
    FaceFinishIn,
    FaceFinishOut,
    FaceStartIn,
    FaceStartOut,
    MeOut,
    PendingOut,
    ProfileCreatedOut,
    ProfileCreateIn,
    ProfileOut,
    ProfileUpdateIn,
    RefreshIn,
    RegisterIn,
    SmsCodeIn,
    SmsCodeOut,
    TokensOut,
)
from jianli.audit import events
from jianli.errors import ServiceError
from jianli.http import JianliRequest
from jianli.identity import services as identity
from jianli.identity.models import FaceVerification, Reason
from jianli.identity.providers import FaceError, Started
from jianli.notifications.sms import TransportError
from jianli.registrations.catalogue import AUTHORITY, ENTRIES, ITEM_NAME, LEGAL_BASIS, REFUSAL_CONDITIONS

router = Router(tags=["申请人：进入"])



def decode_base64(value: str, field: str) -> bytes:
    if value.startswith("data:") and "," in value:
        value = value.split(",", 1)[1]
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ServiceError(
            "invalid", "请检查填写的信息。", fields={field: "不是有效的Base64编码图片"}, status=422
        ) from None


def _caller(request: JianliRequest) -> Caller:
    return request.auth


def _profile_of(request: JianliRequest) -> Profile:
    profile = _caller(request).profile
    if profile is None:
        raise ServiceError("profile_required", "请先设置头像和昵称。", status=403)
    return profile


def _profile_out(profile: Profile) -> dict[str, Any]:
    return {
        "nickname": profile.nickname,
        "has_avatar": bool(profile.avatar),
        "registered": bool(profile.applicant_id),
    }


@router.post(
    "profile",
    auth=None,
    response={201: ProfileCreatedOut, **errors(400, 413, 422, 429)},
    summary="设置头像和昵称（首次使用）",
)
def profile_create(request: JianliRequest, payload: ProfileCreateIn) -> Status:
    accounts.profile_create_allowed(request)
    avatar = decode_base64(payload.avatar, "avatar") if payload.avatar is not None else None
    profile = accounts.profile_create(nickname=payload.nickname, avatar=avatar)
    return Status(
        201,
        {"profile": _profile_out(profile), "profile_token": credentials.profile_token_issue(profile=profile)},
    )


@router.get("profile", auth=profile_auth, response={200: ProfileOut, **TOKEN}, summary="查看头像和昵称")
def profile_read(request: JianliRequest) -> dict[str, Any]:
    return _profile_out(_profile_of(request))


@router.patch(
    "profile", auth=profile_auth, response={200: ProfileOut, **IMAGES}, summary="修改昵称或头像（Base64）"
)
def profile_update(request: JianliRequest, payload: ProfileUpdateIn) -> dict[str, Any]:
    profile = _profile_of(request)
    avatar = decode_base64(payload.avatar, "avatar") if payload.avatar is not None else None
    profile = accounts.profile_update(profile=profile, nickname=payload.nickname, avatar=avatar, request=request)
    return _profile_out(profile)


@router.post(
    "profile/avatar",
    auth=profile_auth,
    response={200: ProfileOut, **errors(400, 401, 403, 404, 413, 422, 429)},
    summary="上传头像（multipart/form-data）",
)
def profile_avatar_upload(request: JianliRequest, avatar: File[UploadedFile]) -> dict[str, Any]:
    profile = _profile_of(request)
    if avatar.size and avatar.size > accounts.MAX_IMAGE_UPLOAD:
        raise ServiceError("too_large", "图片不能超过8MB", fields={"avatar": "图片不能超过8MB"}, status=422)
    profile = accounts.profile_update(profile=profile, avatar=avatar.read(), request=request)
    return _profile_out(profile)


@router.post(
    "applicants/check", auth=profile_auth, response={200: CheckOut, **TOKEN}, summary="验证是否为已注册用户"
)
def applicant_check(request: JianliRequest, payload: CheckIn) -> dict[str, Any]:
    profile = _profile_of(request)
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
    _profile_of(request)
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
    profile = _profile_of(request)
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


def face_providers() -> set[str]:
    return {settings.JIANLI_FACE_PROVIDER, *settings.JIANLI_FACE_API_PROVIDERS}


@router.post(
    "face-verifications",
    auth=pending_auth,
    response={201: FaceStartOut, **errors(400, 401, 403, 404, 422, 429, 503)},
    summary="开始人脸识别（返回 BizToken / verify_id 或动作提示）",
)
def face_start(request: JianliRequest, payload: FaceStartIn) -> Status:
    caller = _caller(request)
    applicant = caller.token.applicant
    assert applicant is not None
    if payload.consent is not True:
        raise ServiceError(
            "consent_required",
            "请阅读并勾选授权项后再进行人脸识别。",
            fields={"consent": "请勾选授权项"},
            status=422,
        )
    provider = payload.provider or settings.JIANLI_FACE_PROVIDER
    if provider not in face_providers():
        raise ServiceError(
            "invalid", "请检查填写的信息。", fields={"provider": "不支持该识别方式"}, status=422
        )
    identity.consent_record(applicant=applicant, profile_id=caller.profile.pk if caller.profile else None)
    return face_started(
        applicant,
        lambda: identity.verification_start(
            applicant=applicant, credential=caller.token.digest, provider=provider, request=request,
            profile=caller.profile,
        ),
    )


def face_started(applicant: Applicant, start: Callable[[], tuple[FaceVerification, Started]]) -> Status[dict[str, Any]]:
    """Run a face check's start and answer with what the client needs (prompts, or the provider's token)."""
    try:
        verification, started = start()
    except FaceError as e:
        raise ServiceError(
            "face_unavailable", identity.ADVICE.get(e.reason, "人脸识别服务暂时不可用，请稍后重试。"), status=503
        ) from None
    return Status(
        201,
        {
            "id": verification.public_id,
            "provider": verification.provider,
            "token": started.token,
            "challenge": list(started.challenge),
            "client": started.client,
            "expires_at": verification.expires_at,
            "attempts_left": identity.attempts_left(applicant),
        },
    )


@router.post(
    "face-verifications/{verification_id}/finish",
    auth=pending_auth,
    response={200: FaceFinishOut, **IMAGES, 409: Error},
    summary="完成人脸识别（拉取核验结果；通过后返回令牌；每次识别只能完成一次）",
)
def face_finish(request: JianliRequest, verification_id: str, payload: FaceFinishIn) -> dict[str, Any]:
    caller = _caller(request)
    verification = identity.verification_for(
        public_id=verification_id, applicant=caller.token.applicant, purpose=FaceVerification.Purpose.SIGN_IN
    )
    data: dict[str, Any] = dict(payload.fields)
    data.update({name: decode_base64(value, f"images.{name}") for name, value in payload.images.items()})
    images.check_frames(data, prefix="images.")
    verification = identity.verification_finish(
        verification=verification, credential=caller.token.digest, payload=data, request=request
    )
    applicant = verification.applicant
    tokens = None
    if verification.status == FaceVerification.Status.PASSED:
        if not credentials.pending_token_spend(token=caller.token):
            raise ServiceError("finished", identity.FINISHED, status=409)
        pair = credentials.token_pair_issue(applicant=applicant, profile=caller.profile)
        request.applicant = applicant
        events.applicant_signed_in(request, applicant.pk, method=f"api-face:{verification.provider}")
        tokens = {
            "access_token": pair.access_token,
            "refresh_token": pair.refresh_token,
            "access_expires_at": pair.access_expires_at,
            "refresh_expires_at": pair.refresh_expires_at,
        }
        advice = "已通过"
    else:
        advice = (
            identity.ADVICE.get(Reason(verification.reason), "识别未通过，请重试。")
            if verification.reason
            else ""
        )
    return {
        "id": verification.public_id,
        "status": verification.status,
        "reason": verification.reason,
        "reason_label": verification.get_reason_display() if verification.reason else "",
        "advice": advice,
        "attempts_left": identity.attempts_left(applicant),
        "tokens": tokens,
    }


@router.post(
    "tokens/refresh", auth=None, response={200: TokensOut, **errors(400, 401, 422)}, summary="刷新访问令牌"
)
def token_refresh(request: JianliRequest, payload: RefreshIn) -> dict[str, Any]:
    pair = credentials.token_refresh(refresh_token=payload.refresh_token)
    return {
        "access_token": pair.access_token,
        "refresh_token": pair.refresh_token,
        "access_expires_at": pair.access_expires_at,
        "refresh_expires_at": pair.refresh_expires_at,
    }


@router.post(
    "tokens/revoke",
    auth=applicant_auth,
    response={204: None, **errors(400, 401)},
    summary="退出登录（吊销令牌）",
)
def token_revoke(request: JianliRequest) -> Status:
    credentials.token_family_revoke(token=_caller(request).token)
    return Status(204, None)


@router.get(
    "me", auth=applicant_auth, response={200: MeOut, **errors(400, 401)}, summary="当前申请人（脱敏）"
)
def me(request: JianliRequest) -> dict[str, Any]:
    applicant = _caller(request).applicant
    assert applicant is not None
    return {
        "name": applicant.name,
        "id_number_masked": applicant.masked_id_number,
        "mobile_masked": applicant.masked_mobile,
        "nickname": applicant.nickname,
    }


@router.get("catalogue", auth=None, response={200: CatalogueOut, **errors(400)}, summary="事项与业务类型")
def catalogue(request: JianliRequest) -> dict[str, Any]:
    return {
        "item_name": ITEM_NAME,
        "item_code": settings.JIANLI_ITEM_CODE,
        "authority": AUTHORITY,
        "legal_basis": LEGAL_BASIS,
        "refusal_conditions": REFUSAL_CONDITIONS,
        "entries": [
            {
                "business_type": e.business_type.value,
                "label": e.business_type.label,
                "title": e.title,
                "summary": e.summary,
                "conditions": e.conditions,
                "materials": e.materials,
                "time_limit_days": e.time_limit_days,
            }
            for e in ENTRIES.values()
        ],
    }
