"""Demo applications for the two consoles: some awaiting the employer, some in the ministry's queue."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.utils import timezone

from jianli.accounts.models import Applicant
from jianli.employers.models import Employer, EmployerStaff
from jianli.registrations import decisions, workflow
from jianli.registrations.models import ActorKind, Application, ApplicationVersion, BusinessType, State

PEOPLE = [
    ("李明", "110105", dt.date(1986, 4, 2), 15, State.AWAITING_EMPLOYER),
    ("陈静", "310104", dt.date(1990, 9, 18), 26, State.AWAITING_EMPLOYER),
    ("赵志强", "440304", dt.date(1982, 1, 30), 37, State.AWAITING_REVIEW),
    ("孙丽", "510107", dt.date(1988, 6, 12), 48, State.AWAITING_REVIEW),
    ("周杰", "110108", dt.date(1979, 11, 5), 59, State.IN_REVIEW),
]


def load(employer: Employer, staff: EmployerStaff, reviewer: User) -> int:
    """Create the demo applications once (skipped when they exist); returns how many were created."""
    from jianli.demo import make_id_number

    created = 0
    for i, (name, region, born, seq, target) in enumerate(PEOPLE):
        id_number = make_id_number(region, born, seq)
        if Applicant.objects.by_id_number(id_number).exists():
            continue
        person = Applicant.objects.create(name=name, id_number=id_number, mobile=f"1391000{i:04d}")
        data = {
            "qualification_number": f"JL2023{region}{seq:05d}", "qualification_date": "2023-10-22",
            "exam_category": "土木建筑工程", "specialties": ["房屋建筑工程"], "employer": employer.uscc,
            "school": "同济大学", "major": "土木工程", "degree": "本科", "graduation_date": "2010-07-01", "title": "工程师",
        }
        app = Application.objects.create(applicant=person, business_type=BusinessType.INITIAL, data=data)

        def freeze(a: Application) -> None:
            a.employer = employer
            a.submitted_at = timezone.now()
            a.version = 1
            a.issue_number()
            ApplicationVersion.objects.create(application=a, version=1, data=a.data, employer_id_at=employer.pk)

        workflow.fire(app.pk, workflow.Action.SUBMIT, actor=workflow.Actor(ActorKind.APPLICANT, applicant_id=person.pk,
                                                                           label=name), effect=freeze)
        if target in (State.AWAITING_REVIEW, State.IN_REVIEW):
            decisions.application_report(application_id=app.pk, staff=staff)
        if target == State.IN_REVIEW:
            decisions.application_claim(application_id=app.pk, user=reviewer)
        created += 1
    return created
