"""复核 of an approval in the review console: an initial registration whose roster record was edited by hand is
approved by the claimer as usual, waits for a different approver, who agrees or sends it back."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from jianli.registrations import rules, services
from jianli.registrations.models import Qualification, Registration, State
from jianli.testing import cast
from jianli.testing.cast import review_client


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    emp = cast.employer(1, "甲监理公司")
    staff = cast.staff(emp)
    reviewer = cast.reviewer()
    app = cast.submitted(cast.applicant(12, "王甲"), emp)
    services.application_report(application_id=app.pk, staff=staff)
    record = rules.find_qualification(applicant=app.applicant)
    ops = cast.reviewer("ops", "运维")
    Qualification.objects.filter(pk=record.pk).update(edited_by_hand=True, edited_by=ops, edited_at=timezone.now())  # type: ignore[union-attr]
    app.refresh_from_db()
    client = review_client(reviewer)
    base = f"/review/applications/{app.number}"
    client.post(f"{base}/claim/")
    return {"reviewer": reviewer, "app": app, "client": client, "base": base,
            "approver": review_client(cast.reviewer("fuhe", "复核"))}


def _state(app) -> str:  # type: ignore[no-untyped-def]
    app.refresh_from_db()
    return app.state


def test_the_approval_waits_for_a_second_look_and_the_approver_makes_it(world) -> None:  # type: ignore[no-untyped-def]
    c, base, app = world["client"], world["base"], world["app"]
    page = c.get(f"{base}/").content.decode()
    assert "经人工修改，准予注册须经复核人员复核" in page and "人工修改</dt>" in page
    page = c.post(f"{base}/approve/", {"comment": "材料齐全"}, follow=True).content.decode()
    assert "已提请复核：准予注册须经复核人员同意后作出" in page and "已提请复核：准予注册，等待复核人员复核" in page
    assert _state(app) == State.IN_REVIEW and not Registration.objects.exists()
    assert app.number in c.get("/review/?pending=1").content.decode()
    # The proposer, even holding the 复核 role, cannot agree with their own approval.
    world["reviewer"].groups.add(Group.objects.get_or_create(name="复核")[0])
    page = c.post(f"{base}/second-look/", {"decision": "agree"}, follow=True).content.decode()
    assert "不能复核自己提请的准予注册" in page and _state(app) == State.IN_REVIEW
    approver = world["approver"]
    page = approver.get(f"{base}/").content.decode()
    assert "复核：拟准予注册" in page and "审查意见：材料齐全" in page and "同意，准予注册" in page
    page = approver.post(f"{base}/second-look/", {"decision": "agree", "note": "已核资格证书原件"},
                         follow=True).content.decode()
    assert "已同意，作出准予注册决定。" in page
    assert _state(app) == State.APPROVED and Registration.objects.filter(applicant=app.applicant).exists()
    assert app.events.get(action="approve").actor_label.startswith("复核")


def test_the_approver_sends_it_back_with_a_note(world) -> None:  # type: ignore[no-untyped-def]
    c, base, app, approver = world["client"], world["base"], world["app"], world["approver"]
    c.post(f"{base}/approve/")
    r = approver.post(f"{base}/second-look/", {"decision": "decline", "note": ""})
    assert r.status_code == 422 and "请写明不同意的理由" in r.content.decode()
    page = approver.post(f"{base}/second-look/", {"decision": "decline", "note": "资格库修改无依据，请核实"},
                         follow=True).content.decode()
    assert "已退回审查人员。" in page
    assert _state(app) == State.IN_REVIEW
    page = c.get(f"{base}/").content.decode()
    assert "复核人员不同意准予注册" in page and "资格库修改无依据，请核实" in page
    assert "释放（交回队列）" in page  # the reviewer works the file again
    c.post(f"{base}/release/")
    assert _state(app) == State.AWAITING_REVIEW


def test_a_rejection_proposed_meanwhile_is_refused_and_the_queue_counts_one(world) -> None:  # type: ignore[no-untyped-def]
    c, base, app = world["client"], world["base"], world["app"]
    c.post(f"{base}/approve/")
    page = c.post(f"{base}/reject/", {"reason": "age", "comment": "年龄超过65周岁"}).content.decode()
    assert "已提请准予注册，正在等待复核" in page
    assert "待复核 <strong>1</strong>" in c.get("/review/").content.decode()
    assert _state(app) == State.IN_REVIEW
