"""Electronic certificates: live status (核验), what the public register may show, the signed PDF.

The register publishes only name, 注册号, 专业, 聘用单位 and validity (with the certificate's number and status on
the verification page); never the ID number, the mobile or the photo.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone

from jianli.certificates import pdf, signing
from jianli.certificates.models import ElectronicCertificate
from jianli.errors import ServiceError
from jianli.registrations.models import Certificate, Registration

LAYOUT_VERSION = "1"


class Verdict(models.TextChoices):
    VALID = "valid", "有效"
    CANCELLED = "cancelled", "已注销"
    REPLACED = "replaced", "已更换"
    LAPSED = "lapsed", "已失效"


VERDICT_EXPLANATIONS = {
    Verdict.VALID: "该证书真实有效。",
    Verdict.CANCELLED: "该注册已注销，证书作废，不能作为执业凭证。",
    Verdict.REPLACED: "该证书已更换，原证书作废，请以新证书为准。",
    Verdict.LAPSED: "该注册已失效（有效期届满未延续或其他失效情形），证书不能作为执业凭证。",
}


def verdict(certificate: Certificate, today: dt.date | None = None) -> Verdict:
    registration = certificate.registration
    today = today or timezone.localdate()
    if certificate.status == Certificate.Status.REPLACED:
        return Verdict.REPLACED
    if registration.status == Registration.Status.CANCELLED:
        return Verdict.CANCELLED
    if certificate.status == Certificate.Status.REVOKED or not registration.is_valid_on(today):
        return Verdict.LAPSED
    return Verdict.VALID


@dataclass(frozen=True)
class PublicRecord:
    """One line of the public register: nothing else about the person is published."""

    name: str
    registration_number: str
    specialties: list[str]
    employer: str
    valid_from: dt.date
    valid_until: dt.date
    status: str  # the registration's status label

    @classmethod
    def of(cls, registration: Registration) -> PublicRecord:
        return cls(
            name=registration.applicant.name,
            registration_number=registration.number,
            specialties=list(registration.specialties),
            employer=registration.employer.name,
            valid_from=registration.valid_from,
            valid_until=registration.valid_until,
            status=registration.get_status_display(),
        )


def electronic_for(certificate: Certificate) -> ElectronicCertificate:
    """The certificate's electronic form, made at first use (two requests at once: the second reads the first's)."""
    found = ElectronicCertificate.objects.filter(certificate=certificate).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return ElectronicCertificate.objects.create(certificate=certificate)
    except IntegrityError:
        return ElectronicCertificate.objects.get(certificate=certificate)


def verify_url(electronic: ElectronicCertificate) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("portal:verify", args=[electronic.token])


def by_token(token: str) -> Certificate | None:
    if not token or len(token) > 32:
        return None
    found = (
        ElectronicCertificate.objects.select_related(
            "certificate__registration__applicant", "certificate__registration__employer"
        ).filter(token=token).first()
    )
    return found.certificate if found else None


def certificates_of(applicant_id: int) -> list[Certificate]:
    """The applicant's certificates, the current one first."""
    return list(
        Certificate.objects.select_related("registration__employer", "registration__applicant")
        .filter(registration__applicant_id=applicant_id)
        .order_by(models.Case(models.When(status=Certificate.Status.VALID, then=0), default=1), "-issued_on", "-id")
    )


def page_of(certificate: Certificate, electronic: ElectronicCertificate) -> pdf.CertificatePage:
    registration = certificate.registration
    return pdf.CertificatePage(
        name=registration.applicant.name,
        registration_number=registration.number,
        certificate_number=certificate.number,
        specialties=tuple(registration.specialties),
        employer=registration.employer.name,
        valid_from=registration.valid_from,
        valid_until=registration.valid_until,
        issued_on=certificate.issued_on,
        verify_url=verify_url(electronic),
        verdict=verdict(certificate).label,
        photo=None,
    )


def _fingerprint(page: pdf.CertificatePage, photo_path: str) -> str:
    fields = {**asdict(page), "photo": photo_path, "layout": LAYOUT_VERSION}
    return hashlib.sha256(json.dumps(fields, default=str, sort_keys=True).encode()).hexdigest()


def certificate_pdf(certificate: Certificate) -> bytes:
    """The signed PDF as things stand now: made again when anything printed on it has changed."""
    electronic = electronic_for(certificate)
    page = page_of(certificate, electronic)
    applicant = certificate.registration.applicant
    fingerprint = _fingerprint(page, applicant.id_photo_path)
    if electronic.pdf_path and electronic.pdf_fingerprint == fingerprint:
        return electronic.read_pdf()
    page = pdf.CertificatePage(**{**asdict(page), "photo": applicant.id_photo()})
    content = signing.sign_pdf(pdf.render(page), reason=f"注册监理工程师注册执业证书 {certificate.number}")
    old = electronic.store_pdf(content, fingerprint)
    electronic.save(update_fields=["pdf_path", "pdf_fingerprint", "generated_at"])
    if old:
        transaction.on_commit(lambda: default_storage.delete(old))
    return content


REGISTER_PAGE_SIZE = 20
# What PublicRecord publishes, and so all that the public register reads: the person's ID number, mobile and face
# embedding are not even decrypted for an anonymous visitor's search.
PUBLIC_COLUMNS = (
    "id", "number", "specialties", "valid_from", "valid_until", "status", "applicant", "applicant__name",
    "employer", "employer__name",
)


@dataclass(frozen=True)
class RegisterPage:
    records: list[PublicRecord]
    page: int
    pages: int
    total: int


def register_search(*, name: str = "", number: str = "", employer: str = "", page: int = 1) -> RegisterPage:
    """The public register (注册人员公示查询): one engineer by 姓名 + 注册号, or the valid registrations of an
    employer by its name (at least 4 characters) or 统一社会信用代码. No search by ID number, mobile or name alone."""
    name, number, employer = name.strip()[:50], number.strip().upper()[:20], employer.strip()[:100]
    query = Registration.objects.select_related("applicant", "employer").only(*PUBLIC_COLUMNS)
    if name or number:
        errors = {}
        if not name:
            errors["name"] = "请填写姓名"
        if not number:
            errors["number"] = "请填写注册号"
        elif not re.fullmatch(r"[0-9A-Z]+", number):
            errors["number"] = "注册号由数字组成，请核对"
        if errors:
            raise ServiceError("invalid", "请同时填写姓名和注册号", fields=errors, status=422)
        query = query.filter(number=number, applicant__name=name)
    elif employer:
        if re.fullmatch(r"[0-9A-Za-z]{18}", employer):
            query = query.filter(employer__uscc=employer.upper())
        elif len(employer) < 4:
            raise ServiceError("invalid", "请填写聘用单位全称或其中至少4个字", fields={
                "employer": "请填写聘用单位全称或其中至少4个字，或18位统一社会信用代码"}, status=422)
        else:
            query = query.filter(employer__name__contains=employer)
        query = query.filter(status=Registration.Status.VALID, valid_until__gte=timezone.localdate())
    else:
        raise ServiceError("invalid", "请填写查询条件", fields={
            "name": "请填写姓名和注册号，或填写聘用单位"}, status=422)
    total = query.count()
    pages = max(1, -(-total // REGISTER_PAGE_SIZE))
    page = min(max(1, page), pages)
    start = (page - 1) * REGISTER_PAGE_SIZE
    rows = query.order_by("number")[start:start + REGISTER_PAGE_SIZE]
    return RegisterPage([PublicRecord.of(r) for r in rows], page, pages, total)
