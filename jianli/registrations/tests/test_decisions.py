from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.utils import timezone

from jianli.errors import Conflict, ServiceError
from jianli.registrations import correction, rules, services, versions
from jianli.registrations.models import (
    ApplicationEvent,
    BusinessType,
    Certificate,
    Registration,
    RejectionProposal,
    State,
)
from jianli.testing import cast


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    emp = cast.employer(1)
    return {
        "emp": emp, "other": cast.employer(2), "staff": cast.staff(emp), "reviewer": cast.reviewer(),
        "person": cast.applicant(),
    }


def test_initial_approval_creates_registration_and_certificate(world) -> None:  # type: ignore[no-untyped-def]
    app = cast.in_review(cast.submitted(world["person"], world["emp"]), world["staff"], world["reviewer"])
    app = services.application_approve(application_id=app.pk, user=world["reviewer"], comment="材料齐全")
    assert app.state == State.APPROVED and app.decided_at is not None
    reg = Registration.objects.get(applicant=world["person"])
    assert app.registration_id == reg.pk
    assert reg.number == f"11{app.decided_at:%Y}{app.pk:08d}"
    assert reg.specialties == ["房屋建筑工程", "市政公用工程"]
    assert reg.employer == world["emp"]
    assert reg.valid_until == rules.add_years(reg.valid_from, 3) - dt.timedelta(days=1)
    cert = reg.current_certificate
    assert cert is not None and cert.number == f"JLZ{app.decided_at:%Y}{app.pk:010d}"


def test_employer_return_needs_a_reason(world) -> None:  # type: ignore[no-untyped-def]
    app = cast.submitted(world["person"], world["emp"])
    with pytest.raises(ServiceError) as e:
        services.application_return(application_id=app.pk, staff=world["staff"], reason=" ")
    assert "reason" in e.value.fields
    app = services.application_return(application_id=app.pk, staff=world["staff"], reason="劳动合同未盖章")
    assert app.state == State.RETURNED
    assert app.events.values_list("comment", flat=True).last() == "劳动合同未盖章"


def test_employer_cannot_report_other_companies_application(world) -> None:  # type: ignore[no-untyped-def]
    app = cast.submitted(world["person"], world["emp"])
    outsider = cast.staff(world["other"], "wairen")
    with pytest.raises(ServiceError) as e:
        services.application_report(application_id=app.pk, staff=outsider)
    assert e.value.status == 403


def test_only_reviewers_claim_and_only_the_claimer_decides(world) -> None:  # type: ignore[no-untyped-def]
    app = cast.submitted(world["person"], world["emp"])
    services.application_report(application_id=app.pk, staff=world["staff"])
    nobody = cast.reviewer("nobody", "其他")
    with pytest.raises(ServiceError):
        services.application_claim(application_id=app.pk, user=nobody)
    services.application_claim(application_id=app.pk, user=world["reviewer"])
    second = cast.reviewer("lisi")
    with pytest.raises(Conflict):
        services.application_approve(application_id=app.pk, user=second)
    services.application_release(application_id=app.pk, user=world["reviewer"])
    app = services.application_claim(application_id=app.pk, user=second)
    assert app.claimed_by == second


def test_rejection_is_proposed_then_confirmed_by_an_approver(world) -> None:  # type: ignore[no-untyped-def]
    app = cast.in_review(cast.submitted(world["person"], world["emp"]), world["staff"], world["reviewer"])
    with pytest.raises(ServiceError) as e:
        services.application_rejection_propose(application_id=app.pk, user=world["reviewer"], reason="nonsense")
    assert set(e.value.fields) == {"reason", "comment"}
    services.application_rejection_propose(
        application_id=app.pk, user=world["reviewer"], reason="age", comment="申请人已年满65周岁"
    )
    # While the proposal waits, the reviewer cannot approve, release or ask for 补正.
    with pytest.raises(ServiceError) as e:
        services.application_approve(application_id=app.pk, user=world["reviewer"])
    assert e.value.code == "pending_rejection"
    with pytest.raises(ServiceError):
        services.application_release(application_id=app.pk, user=world["reviewer"])
    # A reviewer without the 复核 role, and the proposer even with it, cannot confirm.
    with pytest.raises(ServiceError) as e:
        services.application_rejection_confirm(application_id=app.pk, user=cast.reviewer("lisi"))
    assert e.value.status == 403
    world["reviewer"].groups.add(Group.objects.get_or_create(name="复核")[0])
    proposer = User.objects.get(pk=world["reviewer"].pk)  # as on their next request (groups are read once per user object)
    with pytest.raises(ServiceError) as e:
        services.application_rejection_confirm(application_id=app.pk, user=proposer)
    assert e.value.code == "same_person"
    approver = cast.reviewer("fuhe", "复核")
    app = services.application_rejection_confirm(application_id=app.pk, user=approver, note="同意")
    assert app.state == State.REJECTED and app.decision_reason == "age"
    assert app.decision_comment == "申请人已年满65周岁"
    event = app.events.get(action="reject")
    assert event.actor_user == approver and "年龄超过65周岁" in event.comment
    assert app.rejection_proposals.get().outcome == RejectionProposal.Outcome.AGREED
    assert not Registration.objects.exists()


def test_an_approver_may_send_a_rejection_back(world) -> None:  # type: ignore[no-untyped-def]
    app = cast.in_review(cast.submitted(world["person"], world["emp"]), world["staff"], world["reviewer"])
    services.application_rejection_propose(
        application_id=app.pk, user=world["reviewer"], reason="continuing_education", comment="继续教育学时不足"
    )
    approver = cast.reviewer("fuhe", "复核")
    with pytest.raises(ServiceError) as e:
        services.application_rejection_decline(application_id=app.pk, user=approver, note="")
    assert "note" in e.value.fields
    proposal = services.application_rejection_decline(application_id=app.pk, user=approver, note="学时证明在附件第3页，请再核")
    assert proposal.outcome == RejectionProposal.Outcome.DECLINED
    app = services.application_approve(application_id=app.pk, user=world["reviewer"])
    assert app.state == State.APPROVED
    with pytest.raises(ServiceError):  # decided: nothing left to reject
        services.application_rejection_propose(application_id=app.pk, user=world["reviewer"], reason="age", comment="x")


def test_correction_is_one_complete_list_and_only_once(world) -> None:  # type: ignore[no-untyped-def]
    app = cast.in_review(cast.submitted(world["person"], world["emp"]), world["staff"], world["reviewer"])
    with pytest.raises(ServiceError) as e:
        services.application_request_correction(
            application_id=app.pk, user=world["reviewer"],
            problems=[{"kind": "field", "name": "nope", "message": "x"}, {"kind": "field", "name": "school", "message": ""}],
        )
    assert set(e.value.fields) == {"problem_0", "problem_1"}
    app = services.application_request_correction(
        application_id=app.pk, user=world["reviewer"],
        problems=[
            {"kind": "field", "name": "school", "message": "请填写院校全称"},
            {"kind": "attachment", "name": "labour_contract", "message": "劳动合同缺少盖章页"},
        ],
    )
    assert [p["label"] for p in app.correction_items] == ["毕业院校", "与聘用单位签订的劳动合同"]
    assert app.claimed_by is None
    # Only flagged items may change.
    with pytest.raises(ServiceError) as e:
        services.application_resubmit_correction(
            application_id=app.pk, applicant=world["person"], data={"major": "建筑学"}
        )
    assert "major" in e.value.fields
    app = services.application_resubmit_correction(
        application_id=app.pk, applicant=world["person"], data={"school": "同济大学（本部）"}
    )
    assert app.state == State.AWAITING_REVIEW and app.version == 2
    diff = versions.version_diff(app)
    assert [(r.name, r.old, r.new) for r in diff] == [("school", "同济大学", "同济大学（本部）")]
    services.application_claim(application_id=app.pk, user=world["reviewer"])
    with pytest.raises(ServiceError) as e:
        services.application_request_correction(
            application_id=app.pk, user=world["reviewer"],
            problems=[{"kind": "field", "name": "major", "message": "再改"}],
        )
    assert e.value.code == "correction_once"


def test_correction_of_a_repeatable_group(world) -> None:  # type: ignore[no-untyped-def]
    app = cast.in_review(cast.submitted(world["person"], world["emp"]), world["staff"], world["reviewer"])
    submitted_projects = app.data["projects"]
    assert ("rows", "projects", "工程业绩") in correction.correction_targets(app)
    assert ("rows", "work_history", "工作经历") in correction.correction_targets(app)
    app = services.application_request_correction(
        application_id=app.pk, user=world["reviewer"],
        problems=[{"kind": "rows", "name": "projects", "message": "请补充工程业绩"}],
    )
    assert app.correction_items[0]["label"] == "工程业绩"
    person = world["person"]
    # Only the flagged group may change.
    with pytest.raises(ServiceError) as e:
        services.application_resubmit_correction(
            application_id=app.pk, applicant=person,
            data={"work_history": [{"start": "2010-01-01", "employer": "甲", "position": "监理员"}]},
        )
    assert e.value.code == "not_flagged" and set(e.value.fields) == {"work_history"}
    # Wrong shapes and unknown columns are refused at the group.
    for bad in ("一些工程", [{"name": "甲", "cost": "1亿"}], [{"name": 3}]):
        with pytest.raises(ServiceError) as e:
            services.application_resubmit_correction(application_id=app.pk, applicant=person, data={"projects": bad})
        assert set(e.value.fields) == {"projects"}
    # Rows are checked as the wizard checks them, row by row; an empty group is refused.
    with pytest.raises(ServiceError) as e:
        services.application_resubmit_correction(
            application_id=app.pk, applicant=person,
            data={"projects": [{"name": "", "role": "总监", "year": "2020"}, {"name": "乙", "role": "", "year": "二〇"}]},
        )
    assert set(e.value.fields) == {"projects-0-name", "projects-1-role", "projects-1-year"}
    assert e.value.fields["projects-1-year"].startswith("第2条工程业绩")
    with pytest.raises(ServiceError) as e:
        services.application_resubmit_correction(
            application_id=app.pk, applicant=person, data={"projects": [{"name": " ", "role": "", "year": ""}]}
        )
    assert set(e.value.fields) == {"projects-0-name"}
    app.refresh_from_db()
    assert app.state == State.IN_CORRECTION and app.data["projects"] == submitted_projects
    projects = [{"name": " 上海中心大厦 ", "role": "总监理工程师", "year": "2016"}, {"name": "", "role": "", "year": ""},
                {"name": "虹桥枢纽", "role": "专业监理工程师", "year": "2010"}]
    app = services.application_resubmit_correction(
        application_id=app.pk, applicant=person, data={"projects": projects}
    )
    # Rows are not employer facts: straight back to the reviewers.
    assert app.state == State.AWAITING_REVIEW and app.version == 2
    assert app.data["projects"] == [{"name": "上海中心大厦", "role": "总监理工程师", "year": "2016"},
                                    {"name": "虹桥枢纽", "role": "专业监理工程师", "year": "2010"}]
    assert app.versions.get(version=2).data["projects"] == app.data["projects"]
    [row] = versions.version_diff(app)
    assert (row.kind, row.name, row.label, row.old) == (
        "rows", "projects", "工程业绩", ["工程名称：朝阳区住宅项目；担任职务：专业监理工程师；完成年份：2020"]
    )
    assert row.new == ["工程名称：上海中心大厦；担任职务：总监理工程师；完成年份：2016",
                       "工程名称：虹桥枢纽；担任职务：专业监理工程师；完成年份：2010"]


def test_correction_changing_the_employer_goes_back_to_the_employer(world) -> None:  # type: ignore[no-untyped-def]
    app = cast.in_review(cast.submitted(world["person"], world["emp"]), world["staff"], world["reviewer"])
    deadline = app.deadline
    services.application_request_correction(
        application_id=app.pk, user=world["reviewer"],
        problems=[{"kind": "field", "name": "employer", "message": "聘用单位与劳动合同不一致"}],
    )
    app = services.application_resubmit_correction(
        application_id=app.pk, applicant=world["person"], data={"employer": world["other"].uscc}
    )
    assert app.state == State.AWAITING_EMPLOYER and app.employer == world["other"]
    assert app.paused_at is not None  # the clock stays stopped while the new employer confirms
    with pytest.raises(ServiceError):
        services.application_report(application_id=app.pk, staff=world["staff"])
    app = services.application_report(application_id=app.pk, staff=cast.staff(world["other"], "xin"))
    assert app.state == State.AWAITING_REVIEW and app.paused_at is None
    assert app.deadline is not None and deadline is not None and app.deadline >= deadline


def _registered(world, until: dt.date) -> Registration:  # type: ignore[no-untyped-def]
    return cast.registration(world["person"], world["emp"], until)


def _approve(world, business_type: BusinessType, data: dict, emp=None):  # type: ignore[no-untyped-def]
    app = cast.submitted(world["person"], emp or world["emp"], business_type, data=data)
    st = world["staff"] if emp is None else cast.staff(emp, "x")
    cast.in_review(app, st, world["reviewer"])
    return services.application_approve(application_id=app.pk, user=world["reviewer"])


def test_renewal_extends_three_years_from_the_old_expiry(world) -> None:  # type: ignore[no-untyped-def]
    until = timezone.localdate() + dt.timedelta(days=60)  # inside the renewal window
    reg = _registered(world, until)
    cert = reg.current_certificate
    valid_from = reg.valid_from
    _approve(world, BusinessType.RENEWAL,
             {"employer": world["emp"].uscc, "ce_compulsory_hours": "48", "ce_elective_hours": "48"})
    reg.refresh_from_db()
    # Still registered today: the start stays, the expiry moves 3 years from the old one.
    assert (reg.valid_from, reg.valid_until) == (valid_from, rules.add_years(until, 3))
    assert reg.current_certificate == cert


def test_change_moves_employer_and_specialties_keeping_validity(world) -> None:  # type: ignore[no-untyped-def]
    reg = _registered(world, dt.date(2028, 6, 30))
    _approve(
        world, BusinessType.CHANGE,
        {"change_items": ["employer", "specialty"], "employer": world["other"].uscc, "specialties": ["公路工程"]},
        emp=world["other"],
    )
    reg.refresh_from_db()
    assert reg.employer == world["other"] and reg.specialties == ["公路工程"]
    assert reg.valid_until == dt.date(2028, 6, 30)


def test_cancellation_revokes_the_certificate(world) -> None:  # type: ignore[no-untyped-def]
    reg = _registered(world, dt.date(2028, 6, 30))
    _approve(world, BusinessType.CANCELLATION, {"cancellation_reason": "本人申请"})
    reg.refresh_from_db()
    assert reg.status == Registration.Status.CANCELLED
    assert not reg.certificates.filter(status=Certificate.Status.VALID).exists()
    assert reg.certificates.get().status == Certificate.Status.REVOKED


def test_replacement_issues_a_new_certificate(world) -> None:  # type: ignore[no-untyped-def]
    reg = _registered(world, dt.date(2028, 6, 30))
    old = reg.current_certificate
    assert old is not None
    app = _approve(world, BusinessType.REPLACEMENT, {"replacement_reason": "遗失"})
    old.refresh_from_db()
    assert old.status == Certificate.Status.REPLACED and old.voided_on is not None
    assert reg.current_certificate is not None
    assert reg.current_certificate.number == f"JLZ{app.decided_at:%Y}{app.pk:010d}"


def test_change_without_a_valid_registration_cannot_be_approved(world) -> None:  # type: ignore[no-untyped-def]
    reg = _registered(world, timezone.localdate() + dt.timedelta(days=60))
    app = cast.submitted(world["person"], world["emp"], BusinessType.RENEWAL)
    cast.in_review(app, world["staff"], world["reviewer"])
    Registration.objects.filter(pk=reg.pk).update(status=Registration.Status.CANCELLED)
    # The basis is gone: the application is closed with the reason stated (终止办理), not left stuck.
    closed = services.application_approve(application_id=app.pk, user=world["reviewer"])
    assert closed.state == State.REJECTED and "终止办理" in closed.decision_comment
    reg.refresh_from_db()
    assert reg.status == Registration.Status.CANCELLED


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="needs row locks (PostgreSQL)")
def test_two_reviewers_at_once_one_decision_one_event() -> None:
    emp = cast.employer(1)
    st, a, b = cast.staff(emp), cast.reviewer("a"), cast.reviewer("b")
    app = cast.submitted(cast.applicant(), emp)
    services.application_report(application_id=app.pk, staff=st)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def claim(user) -> None:  # type: ignore[no-untyped-def]
        try:
            barrier.wait()
            services.application_claim(application_id=app.pk, user=user)
            results.append("ok")
        except Conflict:
            results.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(u,)) for u in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["conflict", "ok"]
    assert ApplicationEvent.objects.filter(application=app, action="claim").count() == 1

    # The same reviewer deciding twice at once (two tabs): one approval, one Conflict, one registration.
    app.refresh_from_db()
    winner = app.claimed_by
    assert winner is not None
    results.clear()

    def approve() -> None:
        try:
            barrier.wait()
            services.application_approve(application_id=app.pk, user=winner)
            results.append("ok")
        except Conflict:
            results.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["conflict", "ok"]
    assert ApplicationEvent.objects.filter(application=app, action="approve").count() == 1
    assert Registration.objects.count() == 1 and Certificate.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="needs row locks (PostgreSQL)")
def test_two_approvers_confirming_one_rejection_at_once() -> None:
    emp = cast.employer(1)
    reviewer = cast.reviewer("a")
    app = cast.in_review(cast.submitted(cast.applicant(), emp), cast.staff(emp), reviewer)
    services.application_rejection_propose(application_id=app.pk, user=reviewer, reason="age", comment="已满65周岁")
    approvers = [cast.reviewer("f1", "复核"), cast.reviewer("f2", "复核")]
    barrier = threading.Barrier(2)
    results: list[str] = []

    def confirm(user) -> None:  # type: ignore[no-untyped-def]
        try:
            barrier.wait()
            services.application_rejection_confirm(application_id=app.pk, user=user)
            results.append("ok")
        except Conflict:
            results.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(u,)) for u in approvers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["conflict", "ok"]
    assert ApplicationEvent.objects.filter(application=app, action="reject").count() == 1
    assert RejectionProposal.objects.get().outcome == RejectionProposal.Outcome.AGREED
