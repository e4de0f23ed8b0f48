"""An employer's 单位管理员 manages the company's staff accounts: each action is a service, audited with the
employer and the account, whether called from the console or from code."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django_otp.plugins.otp_totp.models import TOTPDevice

from jianli.audit.models import AuditEvent
from jianli.employers import services
from jianli.employers.models import EmployerStaff
from jianli.errors import ServiceError
from jianli.testing import cast
from jianli.testing.cast import device_for, office_client

pytestmark = pytest.mark.django_db


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def test_create_disable_enable_and_reset_are_audited_with_the_employer() -> None:
    emp = cast.employer(1)
    admin = cast.staff(emp, "admin", is_admin=True)
    colleague, password = services.employer_staff_create(admin=admin, username=" xiaoli ", name="小李")
    assert colleague.user.username == f"{emp.uscc}/xiaoli" and colleague.employer == emp
    assert colleague.user.check_password(password) and len(password) >= 12
    (created,) = _events("employer_staff_created")
    assert created.detail == {"employer_id": emp.pk, "user_id": colleague.user_id, "username": f"{emp.uscc}/xiaoli"}
    assert password not in str(created.detail)

    services.employer_staff_set_active(admin=admin, staff_id=colleague.pk, active=False)
    assert not User.objects.get(pk=colleague.user_id).is_active
    services.employer_staff_set_active(admin=admin, staff_id=colleague.pk, active=False)  # no change, no event
    services.employer_staff_set_active(admin=admin, staff_id=colleague.pk, active=True)
    assert [len(_events("employer_staff_disabled")), len(_events("employer_staff_enabled"))] == [1, 1]

    device_for(colleague.user)
    _, new_password = services.employer_staff_reset(admin=admin, staff_id=colleague.pk)
    assert new_password != password and User.objects.get(pk=colleague.user_id).check_password(new_password)
    assert not TOTPDevice.objects.filter(user_id=colleague.user_id).exists()
    (reset,) = _events("employer_staff_reset")
    assert reset.detail["employer_id"] == emp.pk and reset.detail["user_id"] == colleague.user_id


def test_only_an_admin_and_only_for_its_own_employer() -> None:
    emp, other = cast.employer(1), cast.employer(2)
    admin = cast.staff(emp, "admin", is_admin=True)
    plain = cast.staff(emp, "jingban")
    stranger = cast.staff(other, "wairen")
    with pytest.raises(ServiceError) as e:
        services.employer_staff_create(admin=plain, username="x", name="某人")
    assert e.value.status == 403
    for call in (services.employer_staff_reset, services.colleague_of):
        with pytest.raises(ServiceError) as e:
            call(admin=admin, staff_id=stranger.pk)
        assert e.value.status == 404
    with pytest.raises(ServiceError) as e:
        services.employer_staff_set_active(admin=admin, staff_id=admin.pk, active=False)
    assert e.value.message == "不能停用自己的账号。"
    assert User.objects.get(pk=admin.user_id).is_active
    assert not AuditEvent.objects.filter(action__startswith="employer_staff_").exists()


def test_bad_input_is_said_at_the_field_and_nothing_is_created() -> None:
    emp = cast.employer(1)
    admin = cast.staff(emp, "admin", is_admin=True)
    with pytest.raises(ServiceError) as e:
        services.employer_staff_create(admin=admin, username="a/b", name="")
    assert set(e.value.fields) == {"username", "name"}
    with pytest.raises(ServiceError) as e:
        services.employer_staff_create(admin=admin, username="admin", name="重名")
    assert e.value.fields == {"username": "该用户名已被使用"}
    assert EmployerStaff.objects.filter(employer=emp).count() == 1


def test_the_console_names_the_admin_as_the_actor() -> None:
    emp = cast.employer(1)
    admin = cast.staff(emp, "admin", is_admin=True)
    client = office_client(admin)
    assert client.post("/office/staff/", {"username": "xiaoli", "name": "小李"}).status_code == 302
    colleague = EmployerStaff.objects.get(user__username=f"{emp.uscc}/xiaoli")
    client.post(f"/office/staff/{colleague.pk}/deactivate/")
    r = client.post(f"/office/staff/{admin.pk}/deactivate/", follow=True)
    assert "不能停用自己的账号。" in r.content.decode()
    for action in ("employer_staff_created", "employer_staff_disabled"):
        (event,) = _events(action)
        assert (event.actor_kind, event.actor_label) == ("staff", admin.user.username)
