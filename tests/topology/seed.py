"""Run inside the topology (`jianli shell`): the cast the journey and the faults need, printed as one JSON line.

Staff with TOTP devices (their keys printed so the test can sign in as a person would), API keys for the employer's
and the ministry's systems, and APPLICANTS applicants with access tokens and complete drafts (data and attachments
stored through the object store) ready to submit.
"""

from __future__ import annotations

import datetime as dt
import json
import os

from django.contrib.auth.models import Group, User
from django_otp.plugins.otp_totp.models import TOTPDevice

from jianli import pii
from jianli.accounts.models import StaffAccount
from jianli.api import credentials
from jianli.demo import make_id_number, make_uscc
from jianli.employers.models import Employer, EmployerStaff
from jianli.registrations import submission
from jianli.registrations.models import BusinessType, Qualification

PASSWORD = "topology-password-2026"
RUN = os.environ["TOPOLOGY_SEED_RUN"]  # one seed per run, so names never collide
COUNT = int(os.environ.get("TOPOLOGY_SEED_APPLICANTS", "0"))
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def user(username: str, group: str | None = None) -> tuple[User, str]:
    u = User.objects.create_user(username=username, password=PASSWORD, first_name="张审查")
    if group:
        u.groups.add(Group.objects.get_or_create(name=group)[0])
    # As if they had already replaced the first, temporary password with their own.
    StaffAccount.objects.filter(user=u).update(password_temporary=False)
    device = TOTPDevice.objects.create(user=u, name="验证器", confirmed=True)
    return u, device.key


def certificate(sequence: int) -> str:
    """The roster's 资格证书编号 of the person `qualified(sequence)` made: what their 申报信息 must say."""
    return f"JL2024{sequence:09d}"


def qualified(sequence: int) -> str:
    """A distinct valid ID number for each sequence below 10**8 (born 1965-2003, so of working age), in the roster."""
    regions = ("110101", "110102", "110105", "110106", "110107", "110108", "110109", "110111", "110112", "110113")
    born = dt.date(1965, 1, 1) + dt.timedelta(days=(sequence // 1000) % 14000)
    number = make_id_number(regions[(sequence // 14_000_000) % 10], born, sequence % 1000)
    Qualification.objects.get_or_create(
        id_hash=pii.lookup_hash(number),
        defaults={"certificate_number": certificate(sequence), "name": "周杰", "category": "土木建筑工程",
                  "obtained_on": dt.date(2024, 10, 20)},
    )
    return number


def data(employer: Employer, certificate_number: str) -> dict:
    return {
        "qualification_number": certificate_number, "qualification_date": "2024-10-20", "exam_category": "土木建筑工程",
        "specialties": ["房屋建筑工程"], "employer": employer.uscc, "school": "同济大学", "major": "土木工程",
        "degree": "本科", "graduation_date": "2008-07-01", "title": "工程师",
        "work_history": [{"start": "2008-07-01", "end": "", "employer": "某建设公司", "position": "监理员"}],
        "projects": [{"name": "某住宅小区", "role": "专业监理工程师", "year": "2019"}],
    }


base = int(RUN) * 1000  # room for 900 applicants a run
employer = Employer.objects.create(uscc=make_uscc("110105", f"MA{int(RUN) % 10**7:07d}"), name=f"北京华建工程监理有限公司{RUN}")
staff_user, staff_key = user(f"{employer.uscc}/oa{RUN}")
EmployerStaff.objects.create(user=staff_user, employer=employer, is_admin=True)
reviewer, reviewer_key = user(f"shencha{RUN}", "审查")
other_reviewer, _ = user(f"shencha{RUN}b", "审查")
out = {
    "password": PASSWORD,
    "employer_uscc": employer.uscc,
    "staff": {"username": f"oa{RUN}", "totp_key": staff_key},
    "reviewer": {"username": reviewer.username, "totp_key": reviewer_key},
    "employer_key": credentials.api_key_create(name="OA", scopes=[f"employer:{employer.pk}"], user=staff_user)[0],
    "reviewer_key": credentials.api_key_create(
        name="审查", scopes=["ministry:review", "ministry:decide"], user=other_reviewer)[0],
    "journey_id_number": qualified(base + 1),
    "spare_id_numbers": [qualified(base + 2 + i) for i in range(4)],
    "certificate_of": {qualified(n): certificate(n) for n in range(base + 1, base + 6)},
    "applicants": [],
}
from jianli.accounts.models import Applicant  # noqa: E402

for i in range(COUNT):
    number = qualified(base + 100 + i)
    applicant = Applicant.objects.create(name="周杰", id_number=number, mobile=f"137{(base + i) % 10**8:08d}")
    tokens = credentials.token_pair_issue(applicant=applicant, profile=None)
    draft = submission.draft_get_or_create(applicant=applicant, business_type=BusinessType.INITIAL)
    draft = submission.draft_save(application=draft, data=data(employer, certificate(base + 100 + i)), step=2)
    for slot in submission.missing_attachments(draft):
        submission.attachment_upload(application=draft, slot=slot, filename=f"{slot}.pdf", content=PDF)
    out["applicants"].append({"id": applicant.pk, "access": tokens.access_token})
print("SEED " + json.dumps(out))
