from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from jianli.employers.models import EmployerStaff
from jianli.registrations.models import BusinessType, State
from jianli.testing import cast
from jianli.testing.cast import office_client


@pytest.fixture
def cast_(db):  # type: ignore[no-untyped-def]
    a, b = cast.employer(1, "甲监理公司"), cast.employer(2, "乙监理公司")
    staff_a, staff_b = cast.staff(a, is_admin=True), cast.staff(b, is_admin=True)
    app_a = cast.submitted(cast.applicant(12, "王甲"), a)
    app_b = cast.submitted(cast.applicant(14, "李乙"), b)
    return {"a": a, "b": b, "staff_a": staff_a, "staff_b": staff_b, "app_a": app_a, "app_b": app_b}


def test_the_list_shows_only_the_companys_applications(cast_) -> None:  # type: ignore[no-untyped-def]
    page = office_client(cast_["staff_a"]).get("/office/").content.decode()
    assert cast_["app_a"].number in page and cast_["app_b"].number not in page
    assert "王甲" in page and "李乙" not in page


def test_the_list_reads_the_staff_with_the_employer_once_and_no_row_data(cast_) -> None:  # type: ignore[no-untyped-def]
    client = office_client(cast_["staff_a"])
    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/office/").content.decode()
    sqls = [q["sql"] for q in ctx.captured_queries]
    staff = [s for s in sqls if '"employers_employerstaff"' in s or '"employers_employer"' in s]
    assert len(staff) == 1 and 'e."is_active"' in staff[0]  # with the user, in its one statement
    rows = [s for s in sqls if s.startswith('SELECT "registrations_application"."id"')]
    assert len(rows) == 1 and '"registrations_application"."data"' not in rows[0]
    assert "甲监理公司 · 待企业上报 <strong>" in page


def test_employer_cannot_see_or_act_on_another_companys_application(cast_) -> None:  # type: ignore[no-untyped-def]
    client = office_client(cast_["staff_a"])
    number = cast_["app_b"].number
    assert client.get(f"/office/applications/{number}/").status_code == 404
    assert client.post(f"/office/applications/{number}/report/").status_code == 404
    assert client.post(f"/office/applications/{number}/return/", {"reason": "x"}).status_code == 404
    other = EmployerStaff.objects.get(employer=cast_["b"])
    assert client.post(f"/office/staff/{other.pk}/deactivate/").status_code == 404
    assert client.post(f"/office/staff/{other.pk}/reset/").status_code == 404
    cast_["app_b"].refresh_from_db()
    assert cast_["app_b"].state == State.AWAITING_EMPLOYER
    other.user.refresh_from_db()
    assert other.user.is_active


def test_detail_masks_personal_data(cast_) -> None:  # type: ignore[no-untyped-def]
    app = cast_["app_a"]
    page = office_client(cast_["staff_a"]).get(f"/office/applications/{app.number}/").content.decode()
    id_number = app.applicant.id_number
    assert "王甲" in page and id_number[-4:] in page and id_number not in page and id_number[:6] not in page
    assert "同济大学" not in page  # education is not an employment fact
    assert "确认上报" in page


def test_report_and_return(cast_) -> None:  # type: ignore[no-untyped-def]
    client = office_client(cast_["staff_a"])
    app = cast_["app_a"]
    r = client.post(f"/office/applications/{app.number}/return/", {"reason": ""})
    assert r.status_code == 422 and "请填写退回原因" in r.content.decode()
    r = client.post(f"/office/applications/{app.number}/report/")
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.state == State.AWAITING_REVIEW and app.deadline is not None
    # A second click (another tab) is told it was already handled, not a 500.
    r = client.post(f"/office/applications/{app.number}/report/", follow=True)
    assert "已被他人处理" in r.content.decode()


def test_filters_and_keyset_pagination(cast_) -> None:  # type: ignore[no-untyped-def]
    for i in range(22):
        person = cast.applicant(100 + 2 * i, f"申请人{i}")
        reg = cast.registration(person, cast_["a"], valid_until=timezone.localdate() + dt.timedelta(days=60))  # window open
        cast.submitted(person, cast_["a"], BusinessType.RENEWAL, registration=reg)
    client = office_client(cast_["staff_a"])
    first = client.get("/office/?type=renewal")
    rows = first.context["page"].rows
    assert len(rows) == 20 and all(r.business_type == "renewal" for r in rows)
    cursor = first.context["page"].next_cursor
    second = client.get("/office/", {"type": "renewal", "after": cursor}).context["page"]
    assert len(second.rows) == 2 and not set(r.pk for r in rows) & set(r.pk for r in second.rows)
    assert client.get("/office/?state=approved").context["page"].rows == []
    assert client.get("/office/?after=garbage").status_code == 200


def test_the_admin_manages_the_companys_staff(cast_) -> None:  # type: ignore[no-untyped-def]
    client = office_client(cast_["staff_a"])
    r = client.post("/office/staff/", {"username": "xiaozhao", "name": "赵经办"}, follow=True)
    assert "初始密码" in r.content.decode()
    new = EmployerStaff.objects.get(user__username=f"{cast_['a'].uscc}/xiaozhao")
    assert new.employer == cast_["a"] and not new.is_admin
    r = client.post("/office/staff/", {"username": "xiaozhao", "name": "赵经办"})
    assert r.status_code == 422 and "已被使用" in r.content.decode()
    client.post(f"/office/staff/{new.pk}/deactivate/")
    assert not User.objects.get(pk=new.user_id).is_active
    TOTPDevice.objects.create(user=new.user, name="x", confirmed=True)
    old_hash = User.objects.get(pk=new.user_id).password
    client.post(f"/office/staff/{new.pk}/reset/")
    assert User.objects.get(pk=new.user_id).password != old_hash
    assert not TOTPDevice.objects.filter(user=new.user).exists()


def test_a_plain_staff_member_cannot_manage_accounts(cast_) -> None:  # type: ignore[no-untyped-def]
    plain = cast.staff(cast_["a"], "putong")
    client = office_client(plain)
    assert client.get("/office/staff/").status_code == 404
    assert client.post(f"/office/staff/{cast_['staff_a'].pk}/deactivate/").status_code == 404


def test_the_employer_sees_only_the_employment_documents(cast_) -> None:  # type: ignore[no-untyped-def]
    from jianli.audit.models import AuditEvent
    from jianli.registrations.models import Attachment

    app = cast_["app_a"]
    docs = {}
    for slot in ("labour_contract", "id_card"):
        att = Attachment(application=app, slot=slot, original_name=f"{slot}.pdf", content_type="application/pdf",
                         size=8, sha256=slot)
        att.store(b"%PDF-1.4")
        att.save()
        docs[slot] = att
    client = office_client(cast_["staff_a"])
    page = client.get(f"/office/applications/{app.number}/").content.decode()
    assert "labour_contract.pdf" in page and "id_card.pdf" not in page
    base = f"/office/applications/{app.number}/attachments"
    assert client.get(f"{base}/{docs['labour_contract'].pk}/").content == b"%PDF-1.4"
    assert client.get(f"{base}/{docs['id_card'].pk}/").status_code == 404
    assert AuditEvent.objects.filter(action="personal_data_viewed", detail__what="attachment:labour_contract").exists()
    other = office_client(cast_["staff_b"])
    assert other.get(f"{base}/{docs['labour_contract'].pk}/").status_code == 404
