"""A cast for workflow tests: applicants, employers with staff, reviewers, and applications in any state."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import Group, User
from django.utils import timezone

from jianli import pii
from jianli.accounts.models import Applicant
from jianli.accounts.staff import staff_password_keep
from jianli.employers.models import Employer, EmployerStaff
from jianli.registrations import workflow
from jianli.registrations.models import (
    ActorKind,
    Application,
    ApplicationVersion,
    BusinessType,
    Qualification,
    Registration,
    State,
)
from jianli.testing import id_number, uscc

PASSWORD = "cast-password-2026"


def employer(n: int = 0, name: str = "") -> Employer:
    return Employer.objects.get_or_create(uscc=uscc(n), defaults={"name": name or f"测试监理公司{n}"})[0]


def staff(emp: Employer, username: str = "jingban", is_admin: bool = False) -> EmployerStaff:
    user = User.objects.create_user(username=f"{emp.uscc}/{username}", password=PASSWORD, first_name="李经办")
    staff_password_keep(user=user)
    return EmployerStaff.objects.create(user=user, employer=emp, is_admin=is_admin)


def reviewer(username: str = "shencha", *groups: str) -> User:
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


def submitted(
    person: Applicant,
    emp: Employer,
    business_type: BusinessType = BusinessType.INITIAL,
    data: dict[str, Any] | None = None,
    registration: Registration | None = None,
) -> Application:
    """An application in awaiting_employer, created as the wizard does: draft, then SUBMIT with version 1.

    An initial registration's applicant is put in the roster (资格库) as typed, unless already there."""
    if data is None and business_type == BusinessType.INITIAL:
        data = {**initial_data(emp), "qualification_number": f"JL2024{person.pk:09d}"}
    if business_type == BusinessType.INITIAL and data:
        roster(person, str(data.get("qualification_number", "")), str(data.get("qualification_date", "")))
    app = Application.objects.create(
        applicant=person, business_type=business_type, data=data if data is not None else initial_data(emp),
        registration=registration,
    )

    def freeze(a: Application) -> None:
        a.employer = emp
        a.submitted_at = timezone.now()
        a.version = 1
        a.issue_number()
        ApplicationVersion.objects.create(application=a, version=1, data=a.data, attachments={}, employer_id_at=emp.pk)

    return workflow.fire(
        app.pk, workflow.Action.SUBMIT, actor=workflow.Actor(ActorKind.APPLICANT, applicant_id=person.pk),
        expected_state=State.DRAFT, effect=freeze,
    )


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
    from jianli.registrations import decisions

    decisions.application_report(application_id=app.pk, staff=st)
    return decisions.application_claim(application_id=app.pk, user=user)


def registration(person: Applicant, emp: Employer, until: dt.date) -> Registration:
    from jianli.registrations.models import Certificate

    reg = Registration.objects.create(
        number=f"11{person.pk:012d}", applicant=person, employer=emp, specialties=["房屋建筑工程"],
        valid_from=until.replace(year=until.year - 3), valid_until=until,
    )
    Certificate.objects.create(number=f"OLD{person.pk:08d}", registration=reg, issued_on=reg.valid_from)
    return reg
