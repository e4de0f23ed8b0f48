"""Demo data for the embedded service: employers, a registered applicant, an employer staff user, a reviewer."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path

from django.contrib.auth.models import Group, User
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image

from jianli import demo_applications, pii
from jianli.accounts.models import Applicant, Profile
from jianli.accounts.staff import staff_password_keep
from jianli.employers.models import Employer, EmployerStaff
from jianli.identifiers import make_id_number, make_uscc
from jianli.registrations import calendar
from jianli.registrations.models import Qualification

DEMO_PASSWORD = "jianli-demo-2026"


EMPLOYERS = [
    ("110105", "MA01AB2C3", "北京华建工程监理有限公司"),
    ("310115", "MA1FL8Q4X", "上海申城建设咨询有限公司"),
    ("440300", "MA5DK2N7P", "深圳鹏程工程管理有限公司"),
    ("510107", "MA6C3JT8Y", "四川蜀安项目管理有限公司"),
]
DEMO_APPLICANT = {"name": "王建国", "id_number": make_id_number("110101", dt.date(1978, 5, 12), 31), "mobile": "13800138000"}


def demo_photo() -> bytes | None:
    """A packaged portrait (matplotlib's sample of Grace Hopper) stands in for the demo applicant's 证件照."""
    try:
        import matplotlib  # optional: a demo without it has no photo

        path = Path(matplotlib.get_data_path()) / "sample_data" / "grace_hopper.jpg"
        return path.read_bytes()
    except (ImportError, OSError):
        return None


def demo_totp_device(user: User) -> None:
    """A confirmed TOTP device with a fixed key, so the demo's codes come from `jianli totp-code USERNAME`."""
    key = hashlib.sha1(f"jianli-demo-totp/{user.username}".encode()).hexdigest()
    TOTPDevice.objects.update_or_create(user=user, name="演示验证器", defaults={"key": key, "confirmed": True})


@transaction.atomic
def load() -> list[tuple[str, str]]:
    """Create the demo data once; return the logins to print."""
    employers = []
    for division, org, name in EMPLOYERS:
        employer, _ = Employer.objects.get_or_create(uscc=make_uscc(division, org), defaults={"name": name})
        employers.append(employer)

    applicant = Applicant.objects.by_id_number(DEMO_APPLICANT["id_number"]).first()
    if applicant is None:
        applicant = Applicant(**DEMO_APPLICANT)
        photo = demo_photo()
        if photo:
            buf = io.BytesIO()
            Image.open(io.BytesIO(photo)).convert("RGB").save(buf, "JPEG", quality=90)
            applicant.set_id_photo(buf.getvalue())
        applicant.save()
        Profile.objects.create(nickname="老王", applicant=applicant)
    Qualification.objects.get_or_create(
        certificate_number="JL2024110100031",
        defaults={
            "name": applicant.name,
            "id_hash": pii.lookup_hash(applicant.id_number),
            "category": "土木建筑工程",
            "obtained_on": dt.date(2024, 10, 20),
        },
    )

    staff_user, created = User.objects.get_or_create(username=f"{employers[0].uscc}/jingban")
    if created:
        staff_user.first_name = "李经办"
        staff_user.set_password(DEMO_PASSWORD)
        staff_user.save()
        EmployerStaff.objects.create(user=staff_user, employer=employers[0], is_admin=True)
    reviewer, created = User.objects.get_or_create(username="shencha")
    if created:
        reviewer.first_name = "张审查"
        reviewer.set_password(DEMO_PASSWORD)
        reviewer.save()
    reviewer.groups.add(Group.objects.get_or_create(name="审查")[0], Group.objects.get_or_create(name="复核")[0])
    approver, created = User.objects.get_or_create(username="fuhe", defaults={"first_name": "刘复核"})
    if created:
        approver.set_password(DEMO_PASSWORD)
        approver.save()
    # The approver also leads the team (组长): sees each reviewer's load at /review/team/ and reassigns files.
    approver.groups.add(Group.objects.get_or_create(name="复核")[0], Group.objects.get_or_create(name="组长")[0])
    for user in (staff_user, reviewer, approver):
        demo_totp_device(user)
        staff_password_keep(user=user)
    calendar.load_all()
    demo_applications.load(employers[0], staff_user.employer_staff, reviewer)
    operator, created = User.objects.get_or_create(username="ops", defaults={"is_staff": True, "is_superuser": True})
    if created:
        operator.set_password(DEMO_PASSWORD)
        operator.save()
    demo_totp_device(operator)
    staff_password_keep(user=operator)
    return [
        ("申请人（已注册）", f"姓名 {applicant.name} · 身份证号码 {applicant.id_number}"),
        ("企业经办人 /office/", f"统一社会信用代码 {employers[0].uscc} · 用户名 jingban · 密码 {DEMO_PASSWORD}"
                             " · 动态口令 .venv/bin/jianli totp-code jingban"),
        ("部级审查人员 /review/", f"用户名 shencha · 密码 {DEMO_PASSWORD} · 动态口令 .venv/bin/jianli totp-code shencha"),
        ("部级复核人员 /review/", f"用户名 fuhe · 密码 {DEMO_PASSWORD} · 动态口令 .venv/bin/jianli totp-code fuhe（复核不予注册和资格库经人工修改的准予注册；组长：工作量与改派）"),
        ("运维管理 /ops/admin/", f"用户名 ops · 密码 {DEMO_PASSWORD} · 动态口令 .venv/bin/jianli totp-code ops"),
    ]
