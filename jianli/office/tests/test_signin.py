from __future__ import annotations

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from jianli.audit.models import AuditEvent
from jianli.testing import cast
from jianli.testing.cast import PASSWORD, code, device_for, office_client


@pytest.fixture
def staff(db):  # type: ignore[no-untyped-def]
    return cast.staff(cast.employer(1))


def _form(staff, **extra):  # type: ignore[no-untyped-def]
    uscc, username = staff.user.username.split("/", 1)
    return {"uscc": uscc, "username": username, "password": PASSWORD, **extra}


def test_it_signs_in_with_password_and_totp(staff) -> None:  # type: ignore[no-untyped-def]
    client = office_client(staff)
    r = client.get("/office/")
    assert r.status_code == 200 and "本单位办件" in r.content.decode()
    assert AuditEvent.objects.filter(action="staff_signed_in").exists()


def test_a_wrong_code_is_refused_at_the_field(staff) -> None:  # type: ignore[no-untyped-def]
    device_for(staff.user)
    r = Client().post("/office/login/", _form(staff, token="000000"))
    assert r.status_code == 422 and "动态口令不正确" in r.content.decode()
    r = Client().post("/office/login/", _form(staff))
    assert "请输入动态口令" in r.content.decode()


def test_a_wrong_uscc_or_password_is_refused(staff) -> None:  # type: ignore[no-untyped-def]
    r = Client().post("/office/login/", _form(staff, uscc="123"))
    assert r.status_code == 422 and "统一社会信用代码" in r.content.decode()
    r = Client().post("/office/login/", _form(staff, password="wrong-password-1"))
    assert "用户名或密码错误" in r.content.decode()


def test_first_sign_in_enrols_an_authenticator(staff, settings) -> None:  # type: ignore[no-untyped-def]
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a wrong code otherwise blocks the next try for a second
    client = Client()
    r = client.post("/office/login/", _form(staff))
    assert r.status_code == 302 and r["Location"] == "/office/enrol/"
    r = client.get("/office/enrol/")
    page = r.content.decode()
    assert "<svg" in page and "密钥" in page
    assert client.get("/office/").status_code == 302  # not signed in before the code is confirmed
    device = TOTPDevice.objects.get(user=staff.user)
    r = client.post("/office/enrol/", {"token": "123"})
    assert r.status_code == 422
    r = client.post("/office/enrol/", {"token": code(device)})
    assert r.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/office/").status_code == 200


def test_lockout_after_repeated_failures(staff) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    for _ in range(5):
        client.post("/office/login/", _form(staff, password="wrong-password-1"))
    r = client.post("/office/login/", _form(staff))
    assert r.status_code in (403, 429) and "锁定" in r.content.decode()


def test_an_applicant_session_cannot_reach_the_office(staff) -> None:  # type: ignore[no-untyped-def]
    person = cast.applicant()
    client = Client()
    session = client.session
    session["applicant_id"] = person.pk
    session.save()
    r = client.get("/office/")
    assert r.status_code == 302 and r["Location"].startswith("/office/login/")
    r = client.get("/review/")
    assert r.status_code == 302 and r["Location"].startswith("/review/login/")


def test_a_reviewer_cannot_use_the_office_nor_staff_the_review(staff) -> None:  # type: ignore[no-untyped-def]
    client = office_client(staff)
    assert client.get("/review/").status_code == 302
    reviewer = cast.reviewer()
    device = device_for(reviewer)
    r = Client().post("/office/login/", {"uscc": staff.employer.uscc, "username": reviewer.username,
                                         "password": PASSWORD, "token": code(device)})
    assert r.status_code == 422
