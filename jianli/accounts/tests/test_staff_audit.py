"""Every change of a staff account, its roles or its credentials is in the audit log, whichever way it was made:
the operators' admin, the employer console, a management command, or code without a request."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from jianli.audit.models import AuditEvent
from jianli.employers.models import EmployerStaff
from jianli.testing import cast
from jianli.testing.cast import code, device_for, office_client, ops_client

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Another-pass-2026-x"


def events(action: str, user: User | None = None) -> list[AuditEvent]:
    qs = AuditEvent.objects.filter(action=action).order_by("pk")
    if user is not None:
        qs = qs.filter(detail__user_id=user.pk)
    return list(qs)


@pytest.fixture
def ops():  # type: ignore[no-untyped-def]
    return ops_client(User.objects.create_superuser("ops", password=cast.PASSWORD))


def _change_form(user: User, **changes: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "username": user.username, "first_name": user.first_name, "last_name": "", "email": "",
        "is_active": "on" if user.is_active else "", "is_staff": "on" if user.is_staff else "",
        "groups": [g.pk for g in user.groups.all()], "user_permissions": [],
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"), "date_joined_1": "00:00:00",
        "last_login_0": "", "last_login_1": "",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v != ""}


def test_admin_user_creation_role_change_and_password_set_are_audited(ops) -> None:  # type: ignore[no-untyped-def]
    r = ops.post("/ops/admin/auth/user/add/", {
        "username": "shencha2", "usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
    })
    assert r.status_code == 302, r.content.decode()[:3000]
    user = User.objects.get(username="shencha2")
    (created,) = events("staff_account_created", user)
    assert (created.actor_kind, created.actor_label) == ("staff", "ops")
    assert created.detail["password_temporary"] is True and NEW_PASSWORD not in str(created.detail)

    reviewers = Group.objects.create(name="审查")
    r = ops.post(f"/ops/admin/auth/user/{user.pk}/change/", _change_form(user, groups=[reviewers.pk], is_staff="on"))
    assert r.status_code == 302, r.content.decode()[:3000]
    (roles,) = events("staff_roles_changed", user)
    assert roles.detail["added"] == ["group:审查"] and roles.actor_label == "ops"
    (changed,) = events("staff_account_changed", user)
    assert changed.detail["changes"] == {"is_staff": [False, True]}

    r = ops.post(f"/ops/admin/auth/user/{user.pk}/password/",
                 {"usable_password": "true", "password1": "Third-pass-2026-y", "password2": "Third-pass-2026-y"})
    assert r.status_code == 302, r.content.decode()[:3000]
    (password,) = events("staff_password_changed", user)
    assert password.actor_label == "ops" and password.detail["by_self"] is False
    assert password.detail["temporary"] is True


def test_admin_role_permissions_and_device_reset_are_audited(ops) -> None:  # type: ignore[no-untyped-def]
    group = Group.objects.create(name="复核")
    permission = Permission.objects.get(codename="view_auditevent")
    r = ops.post(f"/ops/admin/auth/group/{group.pk}/change/", {"name": "复核", "permissions": [permission.pk]})
    assert r.status_code == 302, r.content.decode()[:3000]
    role = AuditEvent.objects.get(action="role_changed", detail__group="复核", detail__added__isnull=False)
    assert role.detail["added"] == ["audit.view_auditevent"] and role.actor_label == "ops"

    clerk = cast.reviewer("clerk")
    device = device_for(clerk)
    (enrolled,) = events("staff_authenticator_changed", clerk)
    assert enrolled.detail["change"] == "enrolled"
    r = ops.post(f"/ops/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302
    removed = events("staff_authenticator_changed", clerk)[-1]
    assert (removed.detail["change"], removed.actor_label) == ("removed", "ops")


def test_admin_employer_staff_role_is_audited(ops) -> None:  # type: ignore[no-untyped-def]
    staff = cast.staff(cast.employer(1))
    r = ops.post(f"/ops/admin/employers/employerstaff/{staff.pk}/change/",
                 {"user": staff.user_id, "employer": staff.employer_id, "is_admin": "on"})
    assert r.status_code == 302, r.content.decode()[:3000]
    event = events("staff_roles_changed", staff.user)[-1]
    assert event.detail["added"] == [f"employer_admin:{staff.employer.uscc}"] and event.actor_label == "ops"


def test_console_account_creation_deactivation_and_reset_are_audited() -> None:
    emp = cast.employer(1)
    admin = cast.staff(emp, "admin", is_admin=True)
    client = office_client(admin)
    assert client.post("/office/staff/", {"username": "xiaoli", "name": "小李"}).status_code == 302
    colleague = EmployerStaff.objects.get(user__username=f"{emp.uscc}/xiaoli")
    (created,) = events("staff_account_created", colleague.user)
    assert created.actor_label == admin.user.username and created.detail["password_temporary"] is True
    (roles,) = events("staff_roles_changed", colleague.user)
    assert roles.detail["added"] == [f"employer:{emp.uscc}"]

    client.post(f"/office/staff/{colleague.pk}/deactivate/")
    (changed,) = events("staff_account_changed", colleague.user)
    assert changed.detail["changes"] == {"is_active": [True, False]}

    device_for(colleague.user)
    client.post(f"/office/staff/{colleague.pk}/reset/")
    (password,) = events("staff_password_changed", colleague.user)
    assert password.detail["temporary"] is True and password.actor_label == admin.user.username
    assert events("staff_authenticator_changed", colleague.user)[-1].detail["change"] == "removed"


def test_console_enrolment_is_audited(settings) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    staff = cast.staff(cast.employer(1))
    client = Client()
    uscc, username = staff.user.username.split("/", 1)
    client.post("/office/login/", {"uscc": uscc, "username": username, "password": cast.PASSWORD})
    client.get("/office/enrol/")
    client.post("/office/enrol/", {"token": code(TOTPDevice.objects.get(user=staff.user))})
    (enrolled,) = events("staff_authenticator_changed", staff.user)
    assert enrolled.detail["change"] == "enrolled" and enrolled.ip == "127.0.0.1"


def test_management_commands_are_audited(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", NEW_PASSWORD)
    call_command("createsuperuser", interactive=False, username="root2", email="", stdout=io.StringIO())
    user = User.objects.get(username="root2")
    (created,) = events("staff_account_created", user)
    assert created.actor_kind == "system" and created.detail["is_superuser"] is True
    assert created.detail["password_temporary"] is True

    import getpass

    monkeypatch.setattr(getpass, "getpass", lambda prompt="": "Fourth-pass-2026-z")
    call_command("changepassword", "root2", stdout=io.StringIO())
    (password,) = events("staff_password_changed", user)
    assert password.actor_kind == "system" and password.detail["temporary"] is True


def test_changes_in_code_are_audited_and_sign_in_is_not_a_change() -> None:
    user = cast.reviewer("plain")
    before = AuditEvent.objects.count()
    user.groups.clear()
    assert events("staff_roles_changed", user)[-1].detail["removed"] == ["group:审查"]
    user.first_name = "王审查"
    user.save()
    assert events("staff_account_changed", user)[-1].detail["changes"] == {"first_name": ["张审查", "王审查"]}
    group = Group.objects.get(name="审查")
    group.user_set.add(user)
    assert events("staff_roles_changed", user)[-1].detail["added"] == ["group:审查"]
    group.delete()
    deleted = AuditEvent.objects.get(action="role_changed", detail__change="deleted")
    assert deleted.detail["members"] == ["plain"]
    assert AuditEvent.objects.count() > before
    # Signing in writes last_login and verifies a TOTP code: neither is a change of the account.
    reviewer = cast.reviewer("signing-in")
    from django.test import Client

    device = device_for(reviewer)
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    r = Client().post("/review/login/", {"username": "signing-in", "password": cast.PASSWORD, "token": code(device)})
    assert r.status_code == 302
    assert set(AuditEvent.objects.filter(pk__gt=last).values_list("action", flat=True)) == {"staff_signed_in"}
    user_id = user.pk
    user.delete()
    assert AuditEvent.objects.filter(action="staff_account_deleted", detail__user_id=user_id).exists()
