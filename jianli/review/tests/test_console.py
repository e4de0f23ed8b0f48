from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jianli.audit.models import AuditEvent
from jianli.registrations import services
from jianli.registrations.models import Attachment, BusinessType, Registration, State
from jianli.testing import cast
from jianli.testing.cast import office_client, review_client


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    emp = cast.employer(1, "甲监理公司")
    staff = cast.staff(emp)
    reviewer = cast.reviewer()
    app = cast.submitted(cast.applicant(12, "王甲"), emp)
    services.application_report(application_id=app.pk, staff=staff)
    app.refresh_from_db()
    return {"emp": emp, "staff": staff, "reviewer": reviewer, "app": app, "client": review_client(reviewer)}


def test_queue_lists_reported_applications_with_counts_and_days_left(world) -> None:  # type: ignore[no-untyped-def]
    unreported = cast.submitted(cast.applicant(14, "李乙"), world["emp"])
    r = world["client"].get("/review/")
    page = r.content.decode()
    assert world["app"].number in page and unreported.number not in page
    assert "待审查 <strong>1</strong>" in page
    assert r.context["page"].rows[0].days_left == 20


def test_queue_reads_the_groups_once_the_counts_once_and_no_row_data(world) -> None:  # type: ignore[no-untyped-def]
    """The page asks who the user is several times (may use the console, 审查, 组长): one query answers all; the
    per-state totals and the filter's total come from one read of the counts; a row does not load the 申报信息."""
    cast.reviewer(world["reviewer"].username, "组长")
    with CaptureQueriesContext(connection) as ctx:
        page = world["client"].get("/review/?type=initial").content.decode()
    sqls = [q["sql"] for q in ctx.captured_queries]
    assert len([s for s in sqls if '"auth_user_groups" ug' in s]) == 1  # the user's own groups, read with the user
    assert len([s for s in sqls if '"registrations_statecount"' in s]) == 1
    rows = [s for s in sqls if s.startswith('SELECT "registrations_application"."id"')]
    assert len(rows) == 1 and '"registrations_application"."data"' not in rows[0]
    assert "改派" in page and "批量领取" in page and "共 <strong>1</strong> 件" in page


def test_queue_filters(world) -> None:  # type: ignore[no-untyped-def]
    c = world["client"]
    number = world["app"].number
    assert number in c.get("/review/?type=initial").content.decode()
    assert number not in c.get("/review/?type=renewal").content.decode()
    assert number in c.get("/review/?employer=甲监理").content.decode()
    assert number not in c.get("/review/?employer=乙").content.decode()
    today = timezone.localdate()
    assert number in c.get(f"/review/?from={today}&to={today}").content.decode()
    assert number not in c.get(f"/review/?from={today + dt.timedelta(days=1)}").content.decode()
    assert number not in c.get("/review/?due=overdue").content.decode()
    assert number not in c.get("/review/?due=soon").content.decode()
    type(world["app"]).objects.filter(pk=world["app"].pk).update(deadline=today - dt.timedelta(days=3))
    assert number in c.get("/review/?due=overdue").content.decode()
    assert c.get("/review/?from=nonsense&after=bad").status_code == 200


def test_only_reviewers_reach_the_console(world) -> None:  # type: ignore[no-untyped-def]
    client = office_client(world["staff"])
    assert client.get("/review/").status_code == 302
    assert client.get(f"/review/applications/{world['app'].number}/").status_code == 302


def test_detail_is_audited_and_the_full_id_number_only_on_request(world) -> None:  # type: ignore[no-untyped-def]
    app = world["app"]
    page = world["client"].get(f"/review/applications/{app.number}/").content.decode()
    assert app.applicant.id_number not in page and app.applicant.masked_id_number in page
    assert "（受理后5个工作日内一次性告知）" in page  # spec.CORRECTION_NOTICE_DAYS
    page = world["client"].get(f"/review/applications/{app.number}/?show=id").content.decode()
    assert app.applicant.id_number in page
    whats = list(AuditEvent.objects.filter(action="personal_data_viewed", application_id=app.pk)
                 .values_list("detail__what", flat=True))
    assert whats == ["application", "id_number"]


def test_attachments_are_served_through_a_checked_audited_view(world) -> None:  # type: ignore[no-untyped-def]
    app = world["app"]
    att = Attachment(application=app, slot="id_card", original_name="id.pdf", content_type="application/pdf",
                     size=8, sha256="x")
    att.store(b"%PDF-1.4")
    att.save()
    r = world["client"].get(f"/review/applications/{app.number}/attachments/{att.pk}/")
    assert r.status_code == 200 and r.content == b"%PDF-1.4" and r["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(action="personal_data_viewed", detail__what="attachment:id_card").exists()
    other = cast.submitted(cast.applicant(16, "丙"), world["emp"])
    services.application_report(application_id=other.pk, staff=world["staff"])
    other.refresh_from_db()
    assert world["client"].get(f"/review/applications/{other.number}/attachments/{att.pk}/").status_code == 404


def test_claim_correction_and_approve_through_the_pages(world) -> None:  # type: ignore[no-untyped-def]
    c, app = world["client"], world["app"]
    base = f"/review/applications/{app.number}"
    assert c.post(f"{base}/claim/").status_code == 302
    r = c.post(f"{base}/correction/", {"target_0": "field:school", "message_0": ""})
    assert r.status_code == 422 and "请写明需要如何补正" in r.content.decode()
    r = c.post(f"{base}/correction/", {
        "target_0": "field:school", "message_0": "请填写院校全称",
        "target_1": "attachment:labour_contract", "message_1": "劳动合同缺少盖章页",
    })
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.state == State.IN_CORRECTION and len(app.correction_items) == 2
    services.application_resubmit_correction(application_id=app.pk, applicant=app.applicant,
                                              data={"school": "同济大学（本部）"})
    page = c.get(f"{base}/").content.decode()
    assert "补正前后对比" in page and "同济大学（本部）" in page
    c.post(f"{base}/claim/")
    r = c.post(f"{base}/reject/", {"reason": "", "comment": ""})
    assert r.status_code == 422 and "请选择不予注册的法定理由" in r.content.decode()
    # A proposed rejection sent back by the approver leaves the reviewer free to approve.
    c.post(f"{base}/reject/", {"reason": "age", "comment": "已满65周岁"})
    assert "等待复核人员复核" in c.get(f"{base}/").content.decode()
    approver = review_client(cast.reviewer("fuhe", "复核"))
    assert "待复核 <strong>1</strong>" in approver.get("/review/").content.decode()
    r = approver.post(f"{base}/second-look/", {"decision": "decline", "note": ""})
    assert r.status_code == 422 and "请写明不同意的理由" in r.content.decode()
    approver.post(f"{base}/second-look/", {"decision": "decline", "note": "出生日期核对有误"})
    assert "出生日期核对有误" in c.get(f"{base}/").content.decode()
    assert c.post(f"{base}/approve/", {"comment": "同意"}).status_code == 302
    app.refresh_from_db()
    assert app.state == State.APPROVED
    page = c.get(f"{base}/").content.decode()
    assert Registration.objects.get().number in page


def test_the_correction_form_offers_the_repeatable_groups_and_shows_their_change(world) -> None:  # type: ignore[no-untyped-def]
    c, app = world["client"], world["app"]
    base = f"/review/applications/{app.number}"
    c.post(f"{base}/claim/")
    page = c.get(f"{base}/").content.decode()
    assert '<option value="rows:work_history">工作经历' in page and '<option value="rows:projects">工程业绩' in page
    r = c.post(f"{base}/correction/", {"target_0": "rows:projects", "message_0": "请补充工程业绩"})
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.correction_items == [{"kind": "rows", "name": "projects", "label": "工程业绩", "message": "请补充工程业绩"}]
    services.application_resubmit_correction(application_id=app.pk, applicant=app.applicant, data={
        "projects": [{"name": "上海中心大厦", "role": "总监理工程师", "year": "2016"}],
    })
    page = c.get(f"{base}/").content.decode()
    assert "第1条：工程名称：上海中心大厦；担任职务：总监理工程师；完成年份：2016" in page


def test_another_reviewer_cannot_decide_a_claimed_application(world) -> None:  # type: ignore[no-untyped-def]
    app = world["app"]
    world["client"].post(f"/review/applications/{app.number}/claim/")
    other = review_client(cast.reviewer("lisi"))
    r = other.post(f"/review/applications/{app.number}/approve/", follow=True)
    assert "其他审查人员" in r.content.decode()
    app.refresh_from_db()
    assert app.state == State.IN_REVIEW


def test_audit_search_by_application_and_person(world) -> None:  # type: ignore[no-untyped-def]
    app = world["app"]
    c = world["client"]
    r = c.post("/review/audit/", {"number": app.number})
    assert any(e.application_id == app.pk for e in r.context["rows"])
    r = c.post("/review/audit/", {"id_number": app.applicant.id_number})
    assert r.context["rows"] and all(e.applicant_id == app.applicant_id for e in r.context["rows"])
    r = c.post("/review/audit/", {"id_number": "123"})
    assert r.context["errors"]["id_number"]


def test_audit_search_by_id_number_never_puts_it_in_a_url(world) -> None:  # type: ignore[no-untyped-def]
    number = world["app"].applicant.id_number
    page = world["client"].get("/review/audit/").content.decode()
    assert '<form method="post" class="filters"' in page and 'name="csrfmiddlewaretoken"' in page
    # A link or a bookmark with the number in it searches nothing and does not echo the number.
    r = world["client"].get("/review/audit/", {"id_number": number})
    assert not r.context["searched"] and number not in r.content.decode()


def test_messages_of_an_application_show_in_its_history(world, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    app = cast.submitted(cast.applicant(20, "戊"), world["emp"])
    with django_capture_on_commit_callbacks(execute=True):
        services.application_report(application_id=app.pk, staff=world["staff"])
    page = world["client"].get(f"/review/applications/{app.number}/").content.decode()
    assert "已由甲监理公司上报" in page


def test_renewal_in_queue_without_specialties(world) -> None:  # type: ignore[no-untyped-def]
    person = cast.applicant(18, "丁")
    reg = cast.registration(person, world["emp"], valid_until=timezone.localdate() + dt.timedelta(days=60))
    app = cast.submitted(person, world["emp"], BusinessType.RENEWAL, registration=reg)
    services.application_report(application_id=app.pk, staff=world["staff"])
    assert world["client"].get(f"/review/applications/{app.number}/").status_code == 200


def test_queue_keyset_pagination_oldest_first(world) -> None:  # type: ignore[no-untyped-def]
    for i in range(21):
        person = cast.applicant(200 + 2 * i, f"人{i}")
        reg = cast.registration(person, world["emp"], valid_until=timezone.localdate() + dt.timedelta(days=60))
        app = cast.submitted(person, world["emp"], BusinessType.RENEWAL, registration=reg)
        services.application_report(application_id=app.pk, staff=world["staff"])
    c = world["client"]
    first = c.get("/review/").context["page"]
    assert len(first.rows) == 20 and first.rows[0].pk == world["app"].pk
    second = c.get("/review/", {"after": first.next_cursor}).context["page"]
    assert len(second.rows) == 2 and second.next_cursor is None
    assert not {r.pk for r in first.rows} & {r.pk for r in second.rows}


def test_a_rejection_needs_the_approvers_second_look(world) -> None:  # type: ignore[no-untyped-def]
    c, app = world["client"], world["app"]
    base = f"/review/applications/{app.number}"
    c.post(f"{base}/claim/")
    c.post(f"{base}/reject/", {"reason": "false_materials", "comment": "劳动合同系伪造"})
    app.refresh_from_db()
    assert app.state == State.IN_REVIEW
    # The proposer cannot confirm it, even holding the 复核 role.
    from django.contrib.auth.models import Group

    world["reviewer"].groups.add(Group.objects.get_or_create(name="复核")[0])
    r = c.post(f"{base}/second-look/", {"decision": "agree"}, follow=True)
    assert "不能复核自己提请的不予注册" in r.content.decode()
    approver = review_client(cast.reviewer("fuhe", "复核"))
    page = approver.get(f"{base}/").content.decode()
    assert "复核：拟不予注册" in page and "劳动合同系伪造" in page
    approver.post(f"{base}/second-look/", {"decision": "agree", "note": "同意"})
    app.refresh_from_db()
    assert app.state == State.REJECTED and app.decision_reason == "false_materials"
