"""人脸识别 (图7): consent, the check, and the outcome."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from jianli import images
from jianli.accounts import session
from jianli.accounts.models import Applicant
from jianli.audit import events
from jianli.errors import ServiceError
from jianli.http import JianliRequest
from jianli.identity import services
from jianli.identity.models import FaceVerification
from jianli.identity.providers import FaceError


@csrf_exempt
def face(request: JianliRequest) -> HttpResponse:
    # Camera frames stay in memory: an upload too large for memory is dropped, never spooled to a temp file.
    request.upload_handlers = [MemoryFileUploadHandler(request)]
    return _face(request)


def _context(applicant: Applicant) -> dict[str, Any]:
    return {
        "applicant": applicant,
        "errors": {},
        "attempts_left": services.attempts_left(applicant),
        "locked_until": services.locked_until(applicant),
        "in_person": services.verified_in_person_recently(applicant),
        "contacts": settings.JIANLI_CONTACTS,
    }


@csrf_protect
def _face(request: JianliRequest) -> HttpResponse:
    applicant = session.pending_applicant(request) or request.applicant
    if applicant is None:
        return redirect("portal:check")
    context = _context(applicant)
    if request.method == "POST" and request.POST.get("step") == "consent":
        if request.POST.get("consent") != "on":
            context["errors"] = {"consent": "请阅读并勾选授权项后再进行人脸识别"}
            return render(request, "identity/face.html", context, status=422)
        services.consent_record(applicant=applicant, profile_id=request.session.get("profile_id"))
        try:
            verification, started = services.verification_start(
                applicant=applicant, credential=session.face_credential(request), request=request
            )
        except ServiceError as e:
            context.update(failure=e.message, **_context(applicant))
            return render(request, "identity/face.html", context, status=e.status)
        except FaceError as e:
            context.update(failure=services.ADVICE.get(e.reason), reason=e.reason.label, **_context(applicant))
            return render(request, "identity/face.html", context, status=503)
        request.session["face_verification_id"] = verification.public_id
        prompts = started.client.get("prompts", [])
        context.update(
            verification=verification,
            client=started.client,
            steps=list(zip(prompts, started.client.get("labels", []), strict=True)),
            liveness=len(prompts) > 1,
        )
        return render(request, "identity/capture.html", context)
    if request.method == "POST" and request.POST.get("step") == "finish":
        public_id = request.session.get("face_verification_id")
        if not public_id:
            return redirect("identity:face")
        payload: dict[str, Any] = {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "step")}
        for name in request.FILES:
            upload = request.FILES.get(name)
            if upload is not None and not isinstance(upload, list):
                payload[name] = upload.read()
        try:
            images.check_frames(payload)
        except ServiceError as e:
            # Refused before the attempt is touched: it stays open for a proper picture.
            context["failure"] = e.message
            return render(request, "identity/face.html", context, status=e.status)
        try:
            found = services.verification_for(
                public_id=str(public_id), applicant=applicant, purpose=FaceVerification.Purpose.SIGN_IN
            )
            verification = services.verification_finish(
                verification=found, credential=session.face_credential(request), payload=payload, request=request
            )
        except ServiceError as e:
            request.session.pop("face_verification_id", None)
            context.update(failure=e.message, **_context(applicant))
            return render(request, "identity/face.html", context, status=e.status)
        finally:
            del payload
        if verification.status == FaceVerification.Status.PASSED:
            session.sign_in(request, applicant)
            events.applicant_signed_in(request, applicant.pk, method=f"face:{verification.provider}")
            return render(
                request, "identity/passed.html", {"next": request.session.pop("after_face", reverse("portal:home"))}
            )
        context = _context(applicant)
        context["failure"] = services.advice(verification.reason)
        context["reason"] = verification.get_reason_display()
        return render(request, "identity/face.html", context, status=422)
    return render(request, "identity/face.html", context)


def rules(request: JianliRequest) -> HttpResponse:
    """《个人信息处理规则》."""
    return render(request, "identity/rules.html", {"version": services.CONSENT_VERSION})


def feedback(request: JianliRequest) -> HttpResponse:
    """意见反馈."""
    return render(request, "identity/feedback.html", {"contacts": settings.JIANLI_CONTACTS})
