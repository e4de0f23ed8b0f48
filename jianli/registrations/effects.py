"""What an approval does to the engineer's Registration and certificates (inside the approving transition).

Numbers (unique because they are derived from database keys, never from a counter in the process):
- 注册号 ``PPYYYYNNNNNNNN``: PP the province (2 digits of the employer's 统一社会信用代码 division code),
  YYYY the year of first registration, NNNNNNNN the approving application's id, zero padded (14 characters).
  A person keeps the 注册号 for life: initial registration after a lapse or cancellation reuses it.
- 证书编号 ``JLZYYYYNNNNNNNNNN``: JLZ, the year of issue, the issuing application's id padded to 10 digits.
  Initial registration and 证书更换 issue certificates; renewal and change update the registration that the
  (electronic) certificate shows, so the certificate number stays.
"""

from __future__ import annotations

import datetime as dt

from jianli.employers.models import Employer
from jianli.errors import ServiceError
from jianli.registrations import rules
from jianli.registrations.models import Application, BusinessType, Certificate, Registration


def registration_number(employer: Employer, application: Application, today: dt.date) -> str:
    return f"{employer.uscc[2:4]}{today:%Y}{application.pk:08d}"


def certificate_issue(registration: Registration, application: Application, today: dt.date) -> Certificate:
    return Certificate.objects.create(
        number=f"JLZ{today:%Y}{application.pk:010d}", registration=registration, issued_on=today
    )


def _current_registration(application: Application) -> Registration:
    registration = Registration.objects.select_for_update().filter(applicant_id=application.applicant_id).first()
    if registration is None or registration.status != Registration.Status.VALID:
        raise ServiceError("no_registration", "申请人没有有效的注册，不能办理该业务。", status=409)
    return registration


def registration_apply(*, application: Application, today: dt.date) -> Registration:
    """Apply an approved application's business type to the engineer's Registration. A cancellation's other open
    applications are closed by the caller (`services.application_approve`)."""
    kind = application.business_type
    if kind == BusinessType.INITIAL:
        return _initial(application, today)
    registration = _current_registration(application)
    if kind == BusinessType.RENEWAL:
        registration.valid_from, registration.valid_until = rules.renewed_validity(registration)
    elif kind == BusinessType.CHANGE:
        items = application.data.get("change_items") or []
        if application.employer_id and ("employer" in items or not items):
            registration.employer_id = application.employer_id
        if application.data.get("specialties") and ("specialty" in items or not items):
            registration.specialties = list(application.data["specialties"])[:2]
    elif kind == BusinessType.CANCELLATION:
        registration.status = Registration.Status.CANCELLED
        registration.certificates.filter(status=Certificate.Status.VALID).update(
            status=Certificate.Status.REVOKED, voided_on=today
        )
    elif kind == BusinessType.REPLACEMENT:
        registration.certificates.filter(status=Certificate.Status.VALID).update(
            status=Certificate.Status.REPLACED, voided_on=today
        )
        certificate_issue(registration, application, today)
    registration.save()
    return registration


def _initial(application: Application, today: dt.date) -> Registration:
    if application.employer is None:
        raise ServiceError("no_employer", "该办件没有聘用单位，不能准予注册。", status=409)
    registration = Registration.objects.select_for_update().filter(applicant_id=application.applicant_id).first()
    if registration is not None and registration.status == Registration.Status.VALID and registration.valid_until >= today:
        raise ServiceError("already_registered", "申请人已有有效注册，不能重复初始注册。", status=409)
    if registration is None:
        registration = Registration(
            applicant_id=application.applicant_id, number=registration_number(application.employer, application, today)
        )
    registration.employer = application.employer
    registration.specialties = list(application.data.get("specialties") or [])[:2]
    registration.qualification_number = str(application.data.get("qualification_number") or "")[:40]
    registration.valid_from = today
    registration.valid_until = rules.add_years(today, rules.VALIDITY_YEARS) - dt.timedelta(days=1)
    registration.status = Registration.Status.VALID
    registration.save()
    registration.certificates.filter(status=Certificate.Status.VALID).update(
        status=Certificate.Status.REVOKED, voided_on=today
    )
    certificate_issue(registration, application, today)
    return registration
