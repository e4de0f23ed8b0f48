"""人脸识别 (图7): consent, the check, and the outcome."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from jianli.accounts import session
from jianli.audit import events
from jianli.errors import ServiceError
from jianli.identity import services
from jianli.identity.models import FaceVerification
from jianli.identity.providers import FaceError


def face(request: HttpRequest) -> HttpResponse:
    applicant = session.pending_applicant(request) or request.applicant  # type: ignore[attr-defined]
    if applicant is None:
        return redirect("portal:check")
    context: dict = {"applicant": applicant, "errors": {}, "attempts_left": services.attempts_left(applicant)}
    if request.method == "POST" and request.POST.get("step") == "consent":
        if request.POST.get("consent") != "on":
            context["errors"] = {"consent": "请阅读并勾选授权项后再进行人脸识别"}
            return render(request, "identity/face.html", context, status=422)
        services.consent_record(applicant=applicant, profile_id=request.session.get("profile_id"))
        try:
            verification, started = services.verification_start(applicant=applicant)
        except (ServiceError, FaceError) as e:
            context["failure"] = getattr(e, "message", None) or services.ADVICE.get(e.reason)  # type: ignore[union-attr]
            return render(request, "identity/face.html", context, status=getattr(e, "status", 503))
        request.session["face_verification_id"] = verification.pk
        context.update(verification=verification, client=started.client)
        return render(request, "identity/capture.html", context)
    if request.method == "POST" and request.POST.get("step") == "finish":
        verification = FaceVerification.objects.filter(
            pk=request.session.get("face_verification_id"), applicant=applicant
        ).first()
        if verification is None:
            return redirect("identity:face")
        payload = {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "step")}
        payload.update({k: f.read() for k, f in request.FILES.items()})
        verification = services.verification_finish(verification=verification, payload=payload, request=request)
        if verification.status == FaceVerification.Status.PASSED:
            session.sign_in(request, applicant)
            events.applicant_signed_in(request, applicant.pk, method=f"face:{verification.provider}")
            return render(
                request, "identity/passed.html", {"next": request.session.pop("after_face", reverse("portal:home"))}
            )
        context["attempts_left"] = services.attempts_left(applicant)
        context["failure"] = services.ADVICE.get(verification.reason, "识别未通过，请重试。")
        context["reason"] = verification.get_reason_display()
        return render(request, "identity/face.html", context, status=422)
    return render(request, "identity/face.html", context)


def rules(request: HttpRequest) -> HttpResponse:
    """《个人信息处理规则》."""
    return render(request, "identity/rules.html", {"version": services.CONSENT_VERSION})


def feedback(request: HttpRequest) -> HttpResponse:
    """意见反馈."""
    return render(request, "identity/feedback.html")
