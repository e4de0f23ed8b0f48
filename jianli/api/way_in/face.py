"""Face verification: the providers offered, a check started and finished (it gives the tokens)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from ninja import Status

from jianli import images
from jianli.accounts.models import Applicant
from jianli.api import credentials
from jianli.api.auth import pending_auth
from jianli.api.errors import IMAGES, errors
from jianli.api.schemas import (
    Error,
    FaceFinishIn,
    FaceFinishOut,
    FaceStartIn,
    FaceStartOut,
)
from jianli.api.way_in.common import caller_of, decode_base64, router
from jianli.errors import ServiceError
from jianli.http import JianliRequest
from jianli.identity import services as identity
from jianli.identity.models import FaceVerification, Reason
from jianli.identity.providers import FaceError, Started


def face_providers() -> set[str]:
    return {settings.JIANLI_FACE_PROVIDER, *settings.JIANLI_FACE_API_PROVIDERS}


@router.post(
    "face-verifications",
    auth=pending_auth,
    response={201: FaceStartOut, **errors(400, 401, 403, 404, 422, 429, 503)},
    summary="开始人脸识别（返回 BizToken / verify_id 或动作提示）",
)
def face_start(request: JianliRequest, payload: FaceStartIn) -> Status:
    caller = caller_of(request)
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
    caller = caller_of(request)
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
        request.applicant = applicant  # the sign-in is audited as theirs
        pair = credentials.pending_token_exchange(
            token=caller.token, applicant=applicant, profile=caller.profile, request=request,
            method=f"api-face:{verification.provider}",
        )
        if pair is None:
            raise ServiceError("finished", identity.FINISHED, status=409)
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
        "attempts_left": verification.attempts_left,
        "tokens": tokens,
    }
