"""Staff change their own password; a temporary one (set by someone else, or at creation) must be changed at the
first sign-in, in the employer console, the ministry console and the operators' admin alike."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from jianli.accounts.staff import password_is_temporary
from jianli.audit.models import AuditEvent
from jianli.employers.models import EmployerStaff
from jianli.testing import cast
from jianli.testing.cast import code, device_for, office_client, ops_client, review_client

pytestmark = pytest.mark.django_db

NEW = "Mine-only-2026-pass"


def _change(client: Client, url: str, old: str, new: str = NEW, again: str | None = None):  # type: ignore[no-untyped-def]
    return client.post(url, {"old_password": old, "new_password": new, "new_password_again": again or new})


def test_an_account_made_by_the_company_admin_changes_its_password_at_first_sign_in() -> None:
    emp = cast.employer(1)
    admin = office_client(cast.staff(emp, "admin", is_admin=True))
    admin.post("/office/staff/", {"username": "xiaoli", "name": "小李"})
    colleague = EmployerStaff.objects.get(user__username=f"{emp.uscc}/xiaoli")
    assert password_is_temporary(colleague.user)
    temporary = "Tmp-pass-2026-abc"
    colleague.user.set_password(temporary)  # as an operator would, still temporary
    colleague.user.save()
    client = Client()
    r = client.post("/office/login/", {"uscc": emp.uscc, "username": "xiaoli", "password": temporary,
                                       "token": code(device_for(colleague.user))})
    assert r.status_code == 302
    for url in ("/office/", "/office/staff/"):
        r = client.get(url)
        assert r.status_code == 302 and r["Location"] == "/office/password/", url
    page = client.get("/office/password/").content.decode()
    assert "临时密码" in page and 'name="old_password"' in page
    r = _change(client, "/office/password/", temporary)
    assert r.status_code == 302 and r["Location"] == "/office/"
    assert client.get("/office/").status_code == 200
    assert not password_is_temporary(colleague.user)
    event = AuditEvent.objects.filter(action="staff_password_changed", detail__user_id=colleague.user_id).last()
    assert event is not None and event.detail["by_self"] is True and event.detail["temporary"] is False
    assert event.actor_label == colleague.user.username


def test_a_reviewer_changes_a_password_an_operator_set() -> None:
    reviewer = cast.reviewer("shencha-new")
    reviewer.set_password("Set-by-ops-2026-x")
    reviewer.save()
    client = Client()
    client.post("/review/login/", {"username": "shencha-new", "password": "Set-by-ops-2026-x",
                                   "token": code(device_for(reviewer))})
    r = client.get("/review/")
    assert r.status_code == 302 and r["Location"] == "/review/password/"
    assert _change(client, "/review/password/", "Set-by-ops-2026-x").status_code == 302
    assert client.get("/review/").status_code == 200


def test_wrong_or_weak_answers_are_refused_at_their_fields() -> None:
    client = review_client(cast.reviewer("careful"))
    r = _change(client, "/review/password/", "not-my-password")
    assert r.status_code == 422 and "当前密码不正确" in r.content.decode()
    r = _change(client, "/review/password/", cast.PASSWORD, "short")
    assert r.status_code == 422 and "密码太短" in r.content.decode()
    r = _change(client, "/review/password/", cast.PASSWORD, "Eleven-ch-1")  # ASVS 2.1.1: at least 12
    assert r.status_code == 422 and "至少需要12个字符" in r.content.decode()
    r = _change(client, "/review/password/", cast.PASSWORD, NEW, "Mine-only-2026-typo")
    assert r.status_code == 422 and "两次输入的新密码不一致" in r.content.decode()
    r = _change(client, "/review/password/", cast.PASSWORD, cast.PASSWORD)
    assert r.status_code == 422 and "不能与当前密码相同" in r.content.decode()
    r = _change(client, "/review/password/", cast.PASSWORD, "x\x00" * 80)
    assert r.status_code == 422


def test_a_chosen_password_is_not_asked_again_and_other_sessions_end() -> None:
    staff = cast.staff(cast.employer(1))
    elsewhere = office_client(staff)
    device = TOTPDevice.objects.get(user=staff.user)
    client = Client()
    uscc, username = staff.user.username.split("/", 1)
    next_code = cast.code(device, ahead=1)  # the sign-in above used this 30 s's code
    r = client.post("/office/login/", {"uscc": uscc, "username": username, "password": cast.PASSWORD,
                                       "token": next_code})
    assert r.status_code == 302
    assert client.get("/office/").status_code == 200
    assert 'href="/office/password/"' in client.get("/office/").content.decode()
    assert _change(client, "/office/password/", cast.PASSWORD).status_code == 302
    assert client.get("/office/").status_code == 200
    assert elsewhere.get("/office/").status_code == 302  # the other device is signed out


def test_an_operator_with_a_temporary_password_changes_it_in_the_admin() -> None:
    operator = User.objects.create_superuser("ops", password=cast.PASSWORD)
    assert password_is_temporary(operator)
    client = ops_client(operator, password_chosen=False)
    r = client.get("/ops/admin/auth/user/")
    assert r.status_code == 302 and r["Location"] == "/ops/admin/password_change/"
    r = client.post("/ops/admin/password_change/",
                    {"old_password": cast.PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert r.status_code == 302
    assert client.get("/ops/admin/auth/user/").status_code == 200
    assert not password_is_temporary(operator)
