"""信息修改 for pages and API alike: the mobile (with an SMS code) and the 证件照 (face-checked against a fresh
live capture). Nickname and avatar are `services.profile_update`. Every change is audited.

Name and ID number cannot be changed online: they are what the face check and every record hang on.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from jianli import ratelimit
from jianli.accounts import services as accounts
from jianli.accounts.models import Applicant
from jianli.audit import events
from jianli.errors import ServiceError
from jianli.identifiers import InvalidIdentifier, clean_mobile, mask_mobile
from jianli.identity import services as identity
from jianli.identity.faces import check_reference_photo
from jianli.identity.models import FaceVerification, Reason
from jianli.identity.providers import Started
from jianli.notifications import services as notifications

PHOTO_CHANGES_PER_HOUR = (5, 3600)


def applicant_mobile_change(*, applicant: Applicant, mobile: str, sms_code: str, request: HttpRequest) -> None:
    try:
        mobile = clean_mobile(mobile)
    except InvalidIdentifier as e:
        raise ServiceError("invalid", e.message, fields={"mobile": e.message}, status=422) from None
    if mobile == applicant.mobile:
        raise ServiceError("same", "新手机号码与原号码相同", fields={"mobile": "新手机号码与原号码相同"}, status=422)
    accounts.sms_code_check(mobile=mobile, code=sms_code)
    old = applicant.mobile
    applicant.mobile = mobile
    applicant.save()
    events.profile_changed(request, applicant.pk, ["mobile"])
    # The old number hears of it too, so that a taken-over session cannot change the number unnoticed.
    notifications.queue(
        mobile=old,
        text=f"【住建部政务服务】您在监理工程师注册服务登记的手机号码已变更为{mask_mobile(mobile)}。如非本人操作，请立即拨打联系电话。",
        recipient=applicant.name,
    )


PHOTO_ADVICE = {
    Reason.NO_MATCH: "现场拍摄的人脸与新证件照不是同一人。请本人操作，并上传本人近期正面免冠照片。",
    Reason.EXPIRED: "本次识别已过期，请重新选择新证件照。",
}


def photo_change_advice(verification: FaceVerification) -> str:
    """Why the 证件照 was not changed, and what to try."""
    reason = verification.reason
    specific = PHOTO_ADVICE.get(Reason(reason)) if reason in Reason.values else None
    if specific:
        return f"证件照未更换：{specific}"
    label = verification.get_reason_display() if reason else "识别未通过"
    return f"证件照未更换：{label}。{identity.advice(reason)}"


def applicant_photo_change_start(
    *,
    applicant: Applicant,
    photo: bytes | None,
    credential: str,
    provider: str | None = None,
    request: HttpRequest | None = None,
) -> tuple[FaceVerification, Started]:
    """Check the new 证件照 (one face ≥ 80 px) and start a face check against it; it changes on a pass only."""
    ratelimit.enforce("photo-change", str(applicant.pk), PHOTO_CHANGES_PER_HOUR, "更换证件照尝试过于频繁，请1小时后再试。")
    if not photo:
        raise ServiceError("invalid", "请上传新的证件照", fields={"id_photo": "请上传新的证件照"}, status=422)
    clean = accounts.clean_image(photo, field="id_photo", size=1024, square=False)
    check_reference_photo(clean)
    return identity.verification_start(
        applicant=applicant,
        credential=credential,
        provider=provider,
        purpose=FaceVerification.Purpose.PHOTO_CHANGE,
        candidate=clean,
        request=request,
    )


def applicant_photo_change_finish(
    *, applicant: Applicant, public_id: str, credential: str, payload: dict[str, Any], request: HttpRequest
) -> FaceVerification:
    """The live capture: on a pass the 证件照 is replaced (and audited) by identity.verification_finish."""
    found = identity.verification_for(
        public_id=public_id, applicant=applicant, purpose=FaceVerification.Purpose.PHOTO_CHANGE
    )
    return identity.verification_finish(verification=found, credential=credential, payload=payload, request=request)
