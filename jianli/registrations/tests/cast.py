"""A cast for workflow tests: applicants, employers with staff, reviewers, and applications in any state."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import Group, User
from django.http import HttpRequest
from django.utils import timezone

from jianli import pii
from jianli.accounts.models import Applicant
from jianli.accounts.staff import staff_password_keep
from jianli.employers.models import Employer, EmployerStaff
from jianli.registrations import services, submission
from jianli.registrations.models import (
    Application,
    BusinessType,
    Certificate,
    Qualification,
    Registration,
)
from jianli.registrations.spec import SPECS
from jianli.testing import id_number, pdf_bytes, uscc

PASSWORD = "cast-password-2026"


def employer(n: int = 0, name: str = "") -> Employer:
    return Employer.objects.get_or_create(uscc=uscc(n), defaults={"name": name or f"测试监理公司{n}"})[0]


def staff(emp: Employer, username: str = "jingban", is_admin: bool = False) -> EmployerStaff:
    """The employer's staff user `username` (made once; asked again, the same one)."""
    found = EmployerStaff.objects.filter(employer=emp, user__username=f"{emp.uscc}/{username}").first()
    if found is not None:
        return found
    user = User.objects.create_user(username=f"{emp.uscc}/{username}", password=PASSWORD, first_name="李经办")
    staff_password_keep(user=user)
    return EmployerStaff.objects.create(user=user, employer=emp, is_admin=is_admin)


def reviewer(username: str = "shencha", *groups: str) -> User:
    """Ministry staff in `groups` (default 审查), made once."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username=username, password=PASSWORD, first_name="张审查")
        staff_password_keep(user=user)
    for g in groups or ("审查",):
        user.groups.add(Group.objects.get_or_create(name=g)[0])
    return user


def applicant(sequence: int = 12, name: str = "王建国") -> Applicant:
    return Applicant.objects.create(name=name, id_number=id_number(sequence=sequence), mobile="13800138000")


def initial_data(emp: Employer) -> dict[str, Any]:
    return {
        "qualification_number": "JL2024110100031",
        "qualification_date": "2024-10-20",
        "exam_category": "土木建筑工程",
        "specialties": ["房屋建筑工程", "市政公用工程"],
        "employer": emp.uscc,
        "school": "同济大学",
        "major": "土木工程",
        "degree": "本科",
        "graduation_date": "2008-07-01",
        "title": "工程师",
    }


def complete_data(business_type: BusinessType, emp: Employer) -> dict[str, Any]:
    """What the wizard would hold for this business type when every required item is filled in."""
    if business_type == BusinessType.INITIAL:
        return {
            **initial_data(emp),
            "work_history": [{"start": "2008-07-01", "end": "", "employer": emp.name, "position": "监理工程师"}],
            "projects": [{"name": "朝阳区住宅项目", "role": "专业监理工程师", "year": "2020"}],
        }
    others: dict[str, dict[str, Any]] = {
        BusinessType.RENEWAL: {"employer": emp.uscc, "ce_compulsory_hours": "48", "ce_elective_hours": "48"},
        BusinessType.CHANGE: {"change_items": ["employer"], "employer": emp.uscc,
                              "leave_date": (timezone.localdate() - dt.timedelta(days=30)).isoformat()},
        BusinessType.CANCELLATION: {"cancellation_reason": "本人申请"},
        BusinessType.REPLACEMENT: {"replacement_reason": "遗失"},
    }
    return others[business_type]


def submitted(
    person: Applicant,
    emp: Employer,
    business_type: BusinessType = BusinessType.INITIAL,
    data: dict[str, Any] | None = None,
    registration: Registration | None = None,
    request: HttpRequest | None = None,
) -> Application:
    """An application in awaiting_employer, made as the wizard makes it: `draft`, then
    `services.application_submit`."""
    app = draft(person, emp, business_type, data, registration)
    return services.application_submit(application=app, applicant=person, request=request)


def draft(
    person: Applicant,
    emp: Employer,
    business_type: BusinessType = BusinessType.INITIAL,
    data: dict[str, Any] | None = None,
    registration: Registration | None = None,
) -> Application:
    """The applicant's draft filled in completely (`data` overrides the defaults) with the required materials
    uploaded, ready to submit.

    An initial registration's applicant is put in the roster (资格库) as typed, unless already there (then the
    roster's record is typed)."""
    data = {**complete_data(business_type, emp), **(data or {})}
    if business_type == BusinessType.INITIAL:
        known = Qualification.objects.filter(id_hash=pii.lookup_hash(person.id_number)).first()
        if known is None:
            if data["qualification_number"] == initial_data(emp)["qualification_number"]:
                data["qualification_number"] = f"JL2024{person.pk:09d}"
            roster(person, str(data["qualification_number"]), str(data.get("qualification_date", "")))
        elif data["qualification_number"] == initial_data(emp)["qualification_number"]:
            data["qualification_number"] = known.certificate_number
            data["qualification_date"] = known.obtained_on.isoformat()
    app = submission.draft_get_or_create(applicant=person, business_type=business_type)
    if registration is not None and app.registration_id != registration.pk:
        Application.objects.filter(pk=app.pk).update(registration=registration)
        app.registration = registration
    submission.draft_save(application=app, data=data)
    for slot in submission.applicable_slots(SPECS[business_type], data):
        if slot.required:
            submission.attachment_upload(application=app, slot=slot.name, filename=f"{slot.name}.pdf",
                                         content=pdf_bytes())
    return app


def roster(person: Applicant, number: str, obtained_on: str) -> Qualification | None:
    if not number or Qualification.objects.filter(certificate_number=number).exists():
        return None
    if Qualification.objects.filter(id_hash=pii.lookup_hash(person.id_number)).exists():
        return None
    try:
        day = dt.date.fromisoformat(obtained_on)
    except ValueError:
        return None
    return Qualification.objects.create(
        certificate_number=number, name=person.name, id_hash=pii.lookup_hash(person.id_number),
        category="土木建筑工程", obtained_on=day,
    )


def in_review(app: Application, st: EmployerStaff, user: User) -> Application:
    services.application_report(application_id=app.pk, staff=st)
    return services.application_claim(application_id=app.pk, user=user)


def registration(person: Applicant, emp: Employer, until: dt.date) -> Registration:
    reg = Registration.objects.create(
        number=f"11{person.pk:012d}", applicant=person, employer=emp, specialties=["房屋建筑工程"],
        valid_from=until.replace(year=until.year - 3), valid_until=until,
    )
    Certificate.objects.create(number=f"OLD{person.pk:08d}", registration=reg, issued_on=reg.valid_from)
    return reg
