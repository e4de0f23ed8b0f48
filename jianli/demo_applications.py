"""Demo applications for the two consoles: some awaiting the employer, some in the ministry's queue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from jianli.accounts.models import Applicant
from jianli.employers.models import Employer, EmployerStaff
from jianli.identifiers import make_id_number
from jianli.registrations import services, submission
from jianli.registrations.models import BusinessType, Qualification, State

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%" + b"0" * 1000 + b"\ntrailer<<>>\n%%EOF\n"
PEOPLE = [
    ("李明", "110105", dt.date(1986, 4, 2), 15, State.AWAITING_EMPLOYER),
    ("陈静", "310104", dt.date(1990, 9, 18), 26, State.AWAITING_EMPLOYER),
    ("赵志强", "440304", dt.date(1982, 1, 30), 37, State.AWAITING_REVIEW),
    ("孙丽", "510107", dt.date(1988, 6, 12), 48, State.AWAITING_REVIEW),
    ("周杰", "110108", dt.date(1979, 11, 5), 59, State.IN_REVIEW),
]


def load(employer: Employer, staff: EmployerStaff, reviewer: User) -> int:
    """Create the demo applications once (skipped when they exist); returns how many were created."""
    created = 0
    obtained = timezone.localdate() - dt.timedelta(days=400)  # within 3 years: no continuing education due
    for i, (name, region, born, seq, target) in enumerate(PEOPLE):
        id_number = make_id_number(region, born, seq)
        if Applicant.objects.by_id_number(id_number).exists():
            continue
        person = Applicant.objects.create(name=name, id_number=id_number, mobile=f"1391000{i:04d}")
        data: dict[str, Any] = {
            "qualification_number": f"JL2023{region}{seq:05d}", "qualification_date": obtained.isoformat(),
            "exam_category": "土木建筑工程", "specialties": ["房屋建筑工程"], "employer": employer.uscc,
            "school": "同济大学", "major": "土木工程", "degree": "本科", "graduation_date": "2010-07-01", "title": "工程师",
            "work_history": [{"start": "2010-07-01", "end": "", "employer": employer.name, "position": "专业监理工程师"}],
            "projects": [{"name": "城市轨道交通站点工程", "role": "专业监理工程师", "year": "2021"}],
        }
        Qualification.objects.create(certificate_number=data["qualification_number"], name=name,
                                     id_hash=person.id_hash, category="土木建筑工程", obtained_on=obtained)
        app = submission.draft_get_or_create(applicant=person, business_type=BusinessType.INITIAL)
        submission.draft_save(application=app, data=data)
        for slot in ("id_card", "qualification_certificate", "labour_contract"):
            submission.attachment_upload(application=app, slot=slot, filename=f"{slot}.pdf", content=PDF)
        services.application_submit(application=app, applicant=person)
        if target in (State.AWAITING_REVIEW, State.IN_REVIEW):
            services.application_report(application_id=app.pk, staff=staff)
        if target == State.IN_REVIEW:
            services.application_claim(application_id=app.pk, user=reviewer)
        created += 1
    return created
