"""信息修改's page: nickname and avatar, mobile and 证件照 (the services are in jianli.accounts)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from jianli import images
from jianli.accounts import services as accounts
from jianli.accounts import session
from jianli.accounts.models import Applicant
from jianli.accounts.profile import (
    applicant_mobile_change,
    applicant_photo_change_finish,
    applicant_photo_change_start,
    photo_change_advice,
)
from jianli.errors import ServiceError
from jianli.http import JianliRequest, platform_profile
from jianli.identity import services as identity
from jianli.identity.models import FaceVerification
from jianli.identity.providers import FaceError
from jianli.portal.views import profile_required

PHOTO_SESSION_KEY = "photo_verification_id"


def _read(upload: UploadedFile | None) -> bytes | None:
    return upload.read() if upload else None


def _render_profile(
    request: JianliRequest, *, errors: dict[str, str] | None = None, action: str = "", status: int = 200,
    values: dict[str, Any] | None = None, notice: str = "", demo_code: str | None = None,
) -> HttpResponse:
    profile_row = platform_profile(request)
    return render(
        request,
        "portal/profile.html",
        {"values": values or {"nickname": profile_row.nickname, "mobile": "", "sms_code": ""},
         "errors": errors or {}, "notice": notice, "demo_code": demo_code,
         "applicant": request.applicant, "action": action},
        status=status,
    )


@csrf_exempt
def photo(request: JianliRequest) -> HttpResponse:
    # The new photo and the camera frames stay in memory: never spooled to a temporary file.
    request.upload_handlers = [MemoryFileUploadHandler(request)]
    return _photo(request)


@csrf_protect
@profile_required
def _photo(request: JianliRequest) -> HttpResponse:
    """更换证件照: the new photo (checked), then the camera capture page, then 已更换 or the reason."""
    applicant: Applicant | None = request.applicant
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
def profile(request: JianliRequest) -> HttpResponse:
    profile_row = platform_profile(request)
    applicant: Applicant | None = request.applicant
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
                    request=request,
                )
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
