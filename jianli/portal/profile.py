"""信息修改: nickname, avatar, mobile (with an SMS code) and the 证件照 (checked against a fresh capture).

Name and ID number cannot be changed online: they are what the face check and every record hang on.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from jianli import ratelimit
from jianli.accounts import services as accounts
from jianli.accounts.models import Applicant
from jianli.audit import events
from jianli.errors import ServiceError
from jianli.identifiers import InvalidIdentifier, clean_mobile, mask_mobile
from jianli.notifications import services as notifications
from jianli.portal.views import profile_required

PHOTO_CHANGES_PER_HOUR = (5, 3600)


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


def applicant_photo_change(
    *, applicant: Applicant, photo: bytes | None, capture: bytes | None, request: HttpRequest
) -> None:
    """The new 证件照 must hold one face and be the same person as a picture taken now."""
    from jianli.identity.faces import FaceCheckError, check_reference_photo, similarity, single_face

    ratelimit.enforce("photo-change", str(applicant.pk), PHOTO_CHANGES_PER_HOUR, "更换证件照尝试过于频繁，请1小时后再试。")
    errors: dict[str, str] = {}
    clean = None
    if not photo:
        errors["id_photo"] = "请上传新的证件照"
    else:
        try:
            clean = accounts.clean_image(photo, field="id_photo", size=1024, square=False)
            check_reference_photo(clean)
        except ServiceError as e:
            errors.update(e.fields)
            clean = None
    live = None
    if not capture:
        errors["capture"] = "请现场拍摄一张本人正脸照片"
    else:
        try:
            live = single_face(capture)
        except FaceCheckError:
            errors["capture"] = "现场照片中未能检测到一张清晰的人脸，请正对镜头、在光线充足处重新拍摄"
    if clean is not None and live is not None:
        if similarity(single_face(clean), live) < settings.JIANLI_FACE_THRESHOLD:
            errors["capture"] = "现场照片与新证件照不是同一人，请本人操作"
    if errors:
        raise ServiceError("invalid", "请检查填写的信息", fields=errors, status=422)
    assert clean is not None
    applicant.set_id_photo(clean)
    applicant.save()
    events.profile_changed(request, applicant.pk, ["id_photo"])


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
            elif action == "photo":
                applicant_photo_change(
                    applicant=applicant,
                    photo=_read(request.FILES.get("id_photo")),
                    capture=_read(request.FILES.get("capture")),
                    request=request,
                )
                messages.success(request, "证件照已更换")
                return redirect("portal:profile")
        except ServiceError as e:
            errors = e.fields or {"form": e.message}
            status = e.status
    return render(
        request,
        "portal/profile.html",
        {"values": values, "errors": errors, "notice": notice, "demo_code": demo_code, "applicant": applicant,
         "action": action},
        status=status,
    )
