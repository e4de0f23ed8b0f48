"""我的证照 (the applicant's electronic certificates), certificate verification (核验) and the public register."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from jianli import ratelimit
from jianli.audit import events
from jianli.certificates import services
from jianli.errors import ServiceError
from jianli.http import JianliRequest, signed_in_applicant
from jianli.portal.views import applicant_required, profile_required


@profile_required
@applicant_required
def mine(request: JianliRequest) -> HttpResponse:
    applicant = signed_in_applicant(request)
    rows = [(c, services.verdict(c)) for c in services.certificates_of(applicant.pk)]
    return render(request, "portal/certificates.html", {"rows": rows})


@profile_required
@applicant_required
def download(request: JianliRequest, number: str) -> HttpResponse:
    applicant = signed_in_applicant(request)
    certificate = next((c for c in services.certificates_of(applicant.pk) if c.number == number), None)
    if certificate is None:
        raise Http404("没有这个证书")
    content = services.certificate_pdf(certificate)
    events.certificate_downloaded(request, certificate.pk, applicant.pk)
    response = HttpResponse(content, content_type="application/pdf")
    filename = quote(f"注册证书-{certificate.number}.pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
def verify(request: JianliRequest, token: str) -> HttpResponse:
    """The QR code's page: the certificate's live status and only what the register publishes (no sign-in)."""
    certificate = services.by_token(token)
    if certificate is None:
        return render(request, "portal/verify.html", {"found": False}, status=404)
    verdict = services.verdict(certificate)
    return render(request, "portal/verify.html", {
        "found": True,
        "certificate": certificate,
        "verdict": verdict,
        "explanation": services.VERDICT_EXPLANATIONS[verdict],
        "record": services.PublicRecord.of(certificate.registration),
    })


def register(request: JianliRequest) -> HttpResponse:
    """注册人员公示查询: by 姓名 + 注册号 or by 聘用单位, rate-limited per client address."""
    values = {k: request.GET.get(k, "") for k in ("name", "number", "employer")}
    context: dict[str, object] = {"values": values, "errors": {}}
    status = 200
    if any(values.values()):
        try:
            ratelimit.enforce("register", ratelimit.client_address(request),
                              settings.JIANLI_RATE_REGISTER_PER_ADDRESS, "查询过于频繁，请稍后再试。")
            try:
                page = int(request.GET.get("page") or 1)
            except ValueError:
                page = 1
            context["result"] = services.register_search(page=page, **values)
        except ServiceError as e:
            context["errors"] = e.fields or {"name": e.message}
            context["message"] = e.message
            status = e.status
    return render(request, "portal/public_register.html", context, status=status)
