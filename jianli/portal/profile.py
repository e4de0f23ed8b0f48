"""信息修改: nickname, avatar, mobile (with an SMS code) and the 证件照 (face-checked against a fresh live capture).

Name and ID number cannot be changed online: they are what the face check and every record hang on.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from jianli import images, ratelimit
from jianli.accounts import services as accounts
from jianli.accounts import session
from jianli.accounts.models import Applicant
from jianli.audit import events
from jianli.errors import ServiceError
from jianli.identifiers import InvalidIdentifier, clean_mobile, mask_mobile
from jianli.identity import services as identity
from jianli.identity.models import FaceVerification, Reason
from jianli.identity.providers import FaceError, Started
from jianli.notifications import services as notifications
from jianli.portal.views import profile_required

PHOTO_CHANGES_PER_HOUR = (5, 3600)
PHOTO_SESSION_KEY = "photo_verification_id"


def _read(upload: UploadedFile | None) -> bytes | None:
    return upload.read() if upload else None


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
    from jianli.identity.faces import check_reference_photo

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
    found = identity.verification_for(
        public_id=public_id, applicant=applicant, purpose=FaceVerification.Purpose.PHOTO_CHANGE
    )
    return identity.verification_finish(verification=found, credential=credential, payload=payload, request=request)


def _render_profile(
    request: HttpRequest, *, errors: dict[str, str] | None = None, action: str = "", status: int = 200,
    values: dict[str, Any] | None = None, notice: str = "", demo_code: str | None = None,
) -> HttpResponse:
    profile_row = request.profile  # type: ignore[attr-defined]
    return render(
        request,
        "portal/profile.html",
        {"values": values or {"nickname": profile_row.nickname, "mobile": "", "sms_code": ""},
         "errors": errors or {}, "notice": notice, "demo_code": demo_code,
         "applicant": request.applicant, "action": action},  # type: ignore[attr-defined]
        status=status,
    )


@csrf_exempt
def photo(request: HttpRequest) -> HttpResponse:
    # The new photo and the camera frames stay in memory: never spooled to a temporary file.
    request.upload_handlers = [MemoryFileUploadHandler(request)]
    return _photo(request)


@csrf_protect
@profile_required
def _photo(request: HttpRequest) -> HttpResponse:
    """更换证件照: the new photo (checked), then the camera capture page, then 已更换 or the reason."""
    applicant: Applicant | None = request.applicant  # type: ignore[attr-defined]
    if applicant is None:
        return redirect(f"/check/?next={reverse('portal:profile')}")
    if request.method != "POST":
        return redirect("portal:profile")
    if request.POST.get("step") == "finish":
        public_id = request.session.pop(PHOTO_SESSION_KEY, None)
        if not public_id:
            return redirect("portal:profile")
        payload: dict[str, Any] = {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "step")}
        for name in request.FILES:
            upload = request.FILES.get(name)
            if upload is not None and not isinstance(upload, list):
                payload[name] = upload.read()
        try:
            images.check_frames(payload)
        except ServiceError as e:
            return _render_profile(request, errors={"id_photo": e.message}, action="photo", status=e.status)
        try:
            verification = applicant_photo_change_finish(
                applicant=applicant,
                public_id=str(public_id),
                credential=session.face_credential(request),
                payload=payload,
                request=request,
            )
        except ServiceError as e:
            return _render_profile(request, errors={"id_photo": e.message}, action="photo", status=e.status)
        finally:
            del payload
        if verification.status == FaceVerification.Status.PASSED:
            messages.success(request, "证件照已更换")
            return redirect("portal:profile")
        left = identity.attempts_left(applicant)
        message = f"{photo_change_advice(verification)}本小时内还可尝试 {left} 次。"
        return _render_profile(request, errors={"id_photo": message}, action="photo", status=422)
    try:
        verification, started = applicant_photo_change_start(
            applicant=applicant,
            photo=_read(request.FILES.get("id_photo")),
            credential=session.face_credential(request),
            request=request,
        )
    except ServiceError as e:
        return _render_profile(
            request, errors=e.fields or {"id_photo": e.message}, action="photo", status=e.status
        )
    except FaceError as e:
        message = f"{e.reason.label}：{identity.advice(e.reason)}"
        return _render_profile(request, errors={"id_photo": message}, action="photo", status=503)
    request.session[PHOTO_SESSION_KEY] = verification.public_id
    prompts = started.client.get("prompts", [])
    return render(
        request,
        "identity/capture.html",
        {
            "applicant": applicant,
            "verification": verification,
            "client": started.client,
            "steps": list(zip(prompts, started.client.get("labels", []), strict=True)),
            "liveness": len(prompts) > 1,
            "contacts": settings.JIANLI_CONTACTS,
            "cancel_url": reverse("portal:profile"),
        },
    )


@profile_required
def profile(request: HttpRequest) -> HttpResponse:
    profile_row = request.profile  # type: ignore[attr-defined]
    applicant: Applicant | None = request.applicant  # type: ignore[attr-defined]
    values: dict[str, Any] = {"nickname": profile_row.nickname, "mobile": "", "sms_code": ""}
    errors: dict[str, str] = {}
    notice = ""
    demo_code = None
    status = 200
    action = request.POST.get("action", "")
    if request.method == "POST":
        values.update({k: request.POST.get(k, values[k]) for k in values})
        try:
            if action == "nickname":
                accounts.profile_update(
                    profile=profile_row,
                    nickname=values["nickname"],
                    avatar=_read(request.FILES.get("avatar")),
                )
                if applicant is not None:
                    events.profile_changed(request, applicant.pk, ["nickname", "avatar"])
                messages.success(request, "昵称和头像已保存")
                return redirect("portal:profile")
            if applicant is None:
                return redirect(f"/check/?next={request.path}")
            if action == "send_code":
                code = accounts.sms_code_send(mobile=values["mobile"], request=request)
                notice = "验证码已发送至新手机号码，5分钟内有效"
                demo_code = code if settings.DEMO else None
            elif action == "mobile":
                applicant_mobile_change(
                    applicant=applicant, mobile=values["mobile"], sms_code=values["sms_code"], request=request
                )
                messages.success(request, "手机号码已修改")
                return redirect("portal:profile")
        except ServiceError as e:
            errors = e.fields or {"form": e.message}
            status = e.status
    return _render_profile(
        request, values=values, errors=errors, notice=notice, demo_code=demo_code, action=action, status=status
    )
