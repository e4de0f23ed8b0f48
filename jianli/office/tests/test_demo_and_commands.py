from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from jianli import demo
from jianli.employers.models import Employer


@pytest.mark.django_db
def test_demo_staff_sign_in_with_the_printed_totp_code(settings) -> None:
    settings.DEMO = True
    logins = dict(demo.load())
    assert "totp-code jingban" in logins["企业经办人 /office/"]
    out = io.StringIO()
    call_command("totp_code", "jingban", stdout=out)
    code = out.getvalue().strip()
    assert len(code) == 6 and code.isdigit()
    uscc = Employer.objects.get(name="北京华建工程监理有限公司").uscc
    r = Client().post("/office/login/", {"uscc": uscc, "username": "jingban", "password": demo.DEMO_PASSWORD,
                                         "token": code})
    assert r.status_code == 302 and r["Location"] == "/office/"
    demo.load()  # idempotent: the key stays the same
    out2 = io.StringIO()
    call_command("totp_code", "shencha", stdout=out2)
    assert len(out2.getvalue().strip()) == 6


@pytest.mark.django_db
def test_totp_code_is_for_demos_only(settings) -> None:
    from django.core.management.base import CommandError

    settings.DEMO = False
    User.objects.create_user("someone")
    with pytest.raises(CommandError):
        call_command("totp_code", "someone")


@pytest.mark.django_db
def test_send_messages_requeues_due_messages() -> None:
    from jianli.notifications.models import Message

    Message.objects.create(recipient_label="x", mobile="13800138000", text="t")
    out = io.StringIO()
    call_command("send_messages", stdout=out)
    assert "1" in out.getvalue()
    assert Message.objects.get().status == Message.Status.SENT


@pytest.mark.django_db
def test_admin_pages_for_operators() -> None:
    from django.contrib.auth.models import User

    from jianli.registrations import calendar
    from jianli.testing import cast
    from jianli.testing.cast import ops_client

    admin_client = ops_client(User.objects.create_superuser("ops", password=cast.PASSWORD))
    calendar.load_all()
    emp = cast.employer(1)
    cast.staff(emp)
    app = cast.submitted(cast.applicant(), emp)
    for url in ["/ops/admin/employers/employer/", f"/ops/admin/employers/employer/{emp.pk}/change/",
                "/ops/admin/employers/employerstaff/", "/ops/admin/registrations/calendarday/",
                "/ops/admin/registrations/application/", f"/ops/admin/registrations/application/{app.pk}/change/",
                "/ops/admin/registrations/registration/", "/ops/admin/notifications/message/",
                "/ops/admin/auth/user/", "/ops/admin/auth/group/", "/ops/admin/otp_totp/totpdevice/"]:
        assert admin_client.get(url).status_code == 200, url
    # Deciding is not an admin job: applications cannot be changed there.
    r = admin_client.post(f"/ops/admin/registrations/application/{app.pk}/change/", {"state": "approved"})
    assert r.status_code == 403
