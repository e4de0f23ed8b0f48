"""电子证书 (the applicant's own), certificate verification and the public register."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any, Literal

from django.conf import settings
from ninja import Query, Router, Schema
from pydantic import ConfigDict, Field

from jianli import ratelimit
from jianli.api.auth import Caller, applicant_auth
from jianli.api.errors import PUBLIC, TOKEN, errors
from jianli.audit import events
from jianli.certificates import services
from jianli.errors import ServiceError
from jianli.http import JianliRequest
from jianli.registrations.models import Certificate

router = Router(tags=["电子证书与公示查询"])

VerdictName = Literal["valid", "cancelled", "replaced", "lapsed"]


class RecordOut(Schema):
    name: str = Field(description="姓名")
    registration_number: str = Field(description="注册号")
    specialties: list[str] = Field(description="注册专业")
    employer: str = Field(description="聘用单位")
    valid_from: dt.date
    valid_until: dt.date
    status: str = Field(description="注册状态（有效、已注销、已失效）")


class CertificateOut(Schema):
    number: str = Field(description="证书编号")
    issued_on: dt.date
    status: VerdictName = Field(description="证书状态：valid 有效、cancelled 已注销、replaced 已更换、lapsed 已失效")
    status_label: str
    verify_url: str = Field(description="核验地址（即证书二维码的内容）")
    registration: RecordOut


class CertificatePdfOut(Schema):
    number: str
    filename: str
    content_type: str
    content: str = Field(description="PDF 文件（base64），带住房和城乡建设部的 PAdES 电子签章")


class VerificationOut(Schema):
    status: VerdictName
    status_label: str
    explanation: str
    certificate_number: str
    issued_on: dt.date
    registration: RecordOut


class RegisterQuery(Schema):
    model_config = ConfigDict(extra="forbid")
    name: str = Field("", max_length=50, description="姓名（与注册号一起）")
    number: str = Field("", max_length=20, description="注册号（与姓名一起）")
    employer: str = Field("", max_length=100, description="或：聘用单位名称（至少4个字）或统一社会信用代码")
    page: int = Field(1, ge=1, le=10000)


class RegisterPageOut(Schema):
    records: list[RecordOut]
    page: int
    pages: int
    total: int


def _record(record: services.PublicRecord) -> dict[str, Any]:
    return record.__dict__.copy()


def _certificate_out(certificate: Certificate) -> dict[str, Any]:
    verdict = services.verdict(certificate)
    return {
        "number": certificate.number,
        "issued_on": certificate.issued_on,
        "status": verdict.value,
        "status_label": verdict.label,
        "verify_url": services.verify_url(services.electronic_for(certificate)),
        "registration": _record(services.PublicRecord.of(certificate.registration)),
    }


def _mine(request: JianliRequest) -> list[Certificate]:
    caller: Caller = request.auth
    assert caller.applicant is not None
    return services.certificates_of(caller.applicant.pk)


@router.get("me/certificates", auth=applicant_auth, response={200: list[CertificateOut], **TOKEN},
            summary="我的证照：本人的注册证书（当前有效的在前）")
def my_certificates(request: JianliRequest) -> list[dict[str, Any]]:
    return [_certificate_out(c) for c in _mine(request)]


@router.get("me/certificates/{number}/pdf", auth=applicant_auth, response={200: CertificatePdfOut, **TOKEN},
            summary="下载本人的电子证书（PDF，带电子签章和核验二维码）")
def my_certificate_pdf(request: JianliRequest, number: str) -> dict[str, Any]:
    certificate = next((c for c in _mine(request) if c.number == number), None)
    if certificate is None:
        raise ServiceError("not_found", "未找到该证书。", status=404)
    content = services.certificate_pdf(certificate)
    events.certificate_downloaded(request, certificate.pk, certificate.registration.applicant_id)
    return {
        "number": certificate.number,
        "filename": f"注册证书-{certificate.number}.pdf",
        "content_type": "application/pdf",
        "content": base64.b64encode(content).decode(),
    }


@router.get("verify/{token}", auth=None, response={200: VerificationOut, **errors(400, 404, 422, 429)},
            summary="证书核验（二维码内容中的核验码）")
def verify(request: JianliRequest, token: str) -> dict[str, Any]:
    certificate = services.by_token(token)
    if certificate is None:
        raise ServiceError("not_found", "未查询到该证书。", status=404)
    verdict = services.verdict(certificate)
    return {
        "status": verdict.value,
        "status_label": verdict.label,
        "explanation": services.VERDICT_EXPLANATIONS[verdict],
        "certificate_number": certificate.number,
        "issued_on": certificate.issued_on,
        "registration": _record(services.PublicRecord.of(certificate.registration)),
    }


@router.get("register", auth=None, response={200: RegisterPageOut, **PUBLIC},
            summary="注册人员公示查询：姓名+注册号，或聘用单位（分页，限制频率）")
def register(request: JianliRequest, query: Query[RegisterQuery]) -> dict[str, Any]:
    ratelimit.enforce("register", ratelimit.client_address(request),
                      settings.JIANLI_RATE_REGISTER_PER_ADDRESS, "查询过于频繁，请稍后再试。")
    found = services.register_search(name=query.name, number=query.number, employer=query.employer, page=query.page)
    return {"records": [_record(r) for r in found.records], "page": found.page, "pages": found.pages,
            "total": found.total}
