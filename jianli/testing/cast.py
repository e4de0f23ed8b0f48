"""The one cast for tests: applicants, employers with staff, reviewers, roster records, registrations, applications
in any state, and signed-in clients. Each is made as the service makes it; keyword arguments cover the differences."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Group, User
from django.http import HttpRequest
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from jianli import pii
from jianli.accounts.models import Applicant, Profile
from jianli.accounts.staff import staff_password_keep
from jianli.api import credentials
from jianli.employers.models import Employer, EmployerStaff
from jianli.registrations import services, submission
from jianli.registrations.models import (
    Application,
    BusinessType,
    Certificate,
    Qualification,
    Registration,
    State,
)
from jianli.registrations.spec import SPECS
from jianli.testing import grace_hopper, id_number, pdf_bytes, uscc

PASSWORD = "cast-password-2026"
TYPED_QUALIFICATION = "JL2024110100031"  # the roster number `initial_data` types


# People and employers


def applicant(
    sequence: int = 12,
    name: str = "张三",
    *,
    born: dt.date = dt.date(1985, 3, 7),
    mobile: str = "13912345678",
    photo: bytes | None = None,
    profile: bool = True,
    nickname: str = "",
) -> Applicant:
    """An applicant born on `born` (the ID number's sequence is `sequence`), with their mini-program profile
    (nicknamed `nickname`, by default the name's last character) unless `profile` is False."""
    person = Applicant(name=name, id_number=id_number(born, sequence), mobile=mobile)
    if photo is not None:
        person.set_id_photo(photo)
    person.save()
    if profile:
        Profile.objects.create(nickname=nickname or name[-1], applicant=person)
    return person


@dataclass
class Person:
    """A mini-program user: the applicant, their profile and a signed-in token pair."""

    applicant: Applicant
    profile: Profile
    access: str
    refresh: str


def api_person(name: str, sequence: int) -> Person:
    """An applicant with Grace Hopper's ID photo, signed in to the API as their profile."""
    person = applicant(sequence, name, born=dt.date(1980, 1, 1), mobile=f"1380013{sequence:04d}",
                       photo=grace_hopper(), nickname=name)
    pair = credentials.token_pair_issue(applicant=person, profile=person.profile)
    return Person(person, person.profile, pair.access_token, pair.refresh_token)


def employer(n: int = 0, name: str = "") -> Employer:
    """The employer with the n-th test USCC (made once; asked again, the same one)."""
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


# The roster and registrations


def qualification(
    person: Applicant, *, certificate_number: str = "", obtained_on: dt.date = dt.date(2024, 10, 20),
    as_typed: bool = False,
) -> Qualification:
    """The person's record in the qualification roster (资格库); `as_typed`: under the number `initial_data`
    types (another one if someone holds it), so an initial registration filled in as there is open to them."""
    if as_typed:
        taken = Qualification.objects.filter(certificate_number=TYPED_QUALIFICATION).exists()
        certificate_number = f"JL2024{person.pk:09d}" if taken else TYPED_QUALIFICATION
    return Qualification.objects.create(
        certificate_number=certificate_number or f"JL{person.pk:010d}", name=person.name,
        id_hash=pii.lookup_hash(person.id_number), category="土木建筑工程", obtained_on=obtained_on,
    )


def registration(
    person: Applicant, emp: Employer, valid_until: dt.date, *, specialties: Iterable[str] = ("房屋建筑工程",)
) -> Registration:
    """A registration valid for the three years up to `valid_until`, with its certificate."""
    reg = Registration.objects.create(
        number=f"11{person.pk:012d}", applicant=person, employer=emp, specialties=list(specialties),
        valid_from=valid_until.replace(year=valid_until.year - 3), valid_until=valid_until,
    )
    Certificate.objects.create(number=f"OLD{person.pk:08d}", registration=reg, issued_on=reg.valid_from)
    return reg


# Applications


def initial_data(emp: Employer) -> dict[str, Any]:
    return {
        "qualification_number": TYPED_QUALIFICATION,
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
            _roster_as_typed(person, str(data["qualification_number"]), str(data.get("qualification_date", "")))
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


def _roster_as_typed(person: Applicant, number: str, obtained_on: str) -> None:
    """The roster's record as the draft types it, unless the number is taken or the date is not one (then the
    test is about that)."""
    if not number or Qualification.objects.filter(certificate_number=number).exists():
        return
    try:
        day = dt.date.fromisoformat(obtained_on)
    except ValueError:
        return
    qualification(person, certificate_number=number, obtained_on=day)


def in_review(app: Application, st: EmployerStaff, user: User) -> Application:
    services.application_report(application_id=app.pk, staff=st)
    return services.application_claim(application_id=app.pk, user=user)


def application(
    state: State, person: Applicant | None = None, business_type: BusinessType = BusinessType.INITIAL
) -> Application:
    """An application brought to `state` through the services, as it would be in real life (by default 王建国's,
    profile 王工)."""
    person = person or applicant(name="王建国", nickname="王工")
    emp = employer(1, "北京示范工程监理有限公司")
    app = submitted(person, emp, business_type)
    if state == State.RETURNED:
        services.application_return(application_id=app.pk, staff=staff(emp), reason="劳动合同不是本单位的，请核对聘用单位")
    elif state == State.WITHDRAWN:
        services.application_withdraw(application=app, applicant=person, expected_state=app.state)
    elif state != State.AWAITING_EMPLOYER:
        services.application_report(application_id=app.pk, staff=staff(emp))
        if state != State.AWAITING_REVIEW:
            user = reviewer("审查员甲")
            services.application_claim(application_id=app.pk, user=user)
            if state == State.IN_CORRECTION:
                services.application_request_correction(
                    application_id=app.pk, user=user, comment="请补正材料",
                    problems=[{"kind": "attachment", "name": "labour_contract", "message": "缺少单位盖章页"}],
                )
            elif state == State.APPROVED:
                services.application_approve(application_id=app.pk, user=user)
            elif state == State.REJECTED:
                services.application_rejection_propose(application_id=app.pk, user=user, reason="age",
                                                       comment="申请人年龄超过65周岁")
                services.application_rejection_confirm(application_id=app.pk, user=reviewer("fuhe", "复核"))
    return Application.objects.get(pk=app.pk)


# Signed-in clients


def sign_in(client: Client, person: Applicant) -> None:
    """A signed-in applicant session, as after a passed face verification."""
    session = client.session
    session["applicant_id"] = person.pk
    session["profile_id"] = person.profile.pk
    session.save()


class Api:
    """A JSON client for /api/v1/."""

    def __init__(self) -> None:
        self.client = Client()

    def call(self, method: str, path: str, body: Any = None, token: str | None = None, **headers: str):  # type: ignore[no-untyped-def]
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
        if token:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        url = path if path.startswith("/") else f"/api/v1/{path}"
        fn = getattr(self.client, method.lower())
        if body is None:
            return fn(url, **extra)
        return fn(url, body, content_type="application/json", **extra)

    def get(self, path: str, **kw: Any):  # type: ignore[no-untyped-def]
        return self.call("GET", path, **kw)

    def post(self, path: str, body: Any = None, **kw: Any):  # type: ignore[no-untyped-def]
        return self.call("POST", path, body if body is not None else {}, **kw)

    def patch(self, path: str, body: Any = None, **kw: Any):  # type: ignore[no-untyped-def]
        return self.call("PATCH", path, body if body is not None else {}, **kw)

    def put(self, path: str, body: Any = None, **kw: Any):  # type: ignore[no-untyped-def]
        return self.call("PUT", path, body if body is not None else {}, **kw)


def device_for(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="验证器", confirmed=True)


def code(device: TOTPDevice, *, ahead: int = 0) -> str:
    """The authenticator's code now, or `ahead` time steps later (a code is accepted once: a second sign-in within
    the same 30 s needs the next one, which the device's tolerance of one step accepts). Counted from the drift the
    server last learned: a code accepted one step late moves the device's window back by one."""
    device.refresh_from_db(fields=["drift"])
    drift = device.drift + ahead
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def office_client(st: EmployerStaff) -> Client:
    """The employer's staff member signed in to /office/ with password and TOTP."""
    client = Client()
    device = device_for(st.user)
    uscc_, username = st.user.username.split("/", 1)
    r = client.post("/office/login/", {"uscc": uscc_, "username": username, "password": PASSWORD,
                                       "token": code(device)})
    assert r.status_code == 302, r.content.decode()[:2000]
    return client


def review_client(user: User) -> Client:
    """The reviewer signed in to /review/ with password and TOTP."""
    client = Client()
    device = device_for(user)
    r = client.post("/review/login/", {"username": user.username, "password": PASSWORD, "token": code(device)})
    assert r.status_code == 302, r.content.decode()[:2000]
    return client


def ops_client(user: User, *, password_chosen: bool = True) -> Client:
    """An operator signed in to the admin with password and TOTP, as at /ops/login/; the password counts as
    chosen by the operator unless `password_chosen` is False (then the admin first asks to change it)."""
    if password_chosen:
        staff_password_keep(user=user)
    client = Client()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or device_for(user)
    r = client.post("/ops/login/", {"username": user.username, "password": PASSWORD, "token": code(device)})
    assert r.status_code == 302, r.content.decode()[:2000]
    return client
