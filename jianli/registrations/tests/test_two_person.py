"""Decisions that take two people (two_person.TWO_PERSON): 准予注册 of an 初始注册 whose roster record was edited by
hand is proposed by the claimer and made by a different approver (复核), as 不予注册 always is."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from jianli.audit.models import AuditEvent
from jianli.errors import Conflict, ServiceError
from jianli.portal.tests.test_progress import signed_in
from jianli.registrations import progress, roster, rules, services, two_person
from jianli.registrations.models import BusinessType, Qualification, Registration, RejectionProposal, State
from jianli.testing import cast


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    emp = cast.employer(1)
    return {"emp": emp, "staff": cast.staff(emp), "reviewer": cast.reviewer(), "person": cast.applicant(),
            "approver": cast.reviewer("fuhe", "复核")}


def _by_hand(person) -> Qualification:  # type: ignore[no-untyped-def]
    record = rules.find_qualification(applicant=person)
    assert record is not None
    Qualification.objects.filter(pk=record.pk).update(edited_by_hand=True, edited_at=timezone.now())
    record.refresh_from_db()
    return record


def _in_review(world, *, by_hand: bool = True):  # type: ignore[no-untyped-def]
    app = cast.submitted(world["person"], world["emp"])
    if by_hand:
        _by_hand(world["person"])
    return cast.in_review(app, world["staff"], world["reviewer"])


def test_the_table_names_who_needs_a_second_look(world) -> None:  # type: ignore[no-untyped-def]
    app = _in_review(world, by_hand=False)
    assert two_person.second_look_reason("reject", app)
    assert two_person.second_look_reason("approve", app) == ""
    record = _by_hand(world["person"])
    assert record.certificate_number in two_person.second_look_reason("approve", app)
    assert two_person.second_look_reason("request_correction", app) == ""
    renewal = cast.draft(cast.applicant(14, "李乙"), world["emp"], BusinessType.RENEWAL)
    assert two_person.second_look_reason("approve", renewal) == ""


def test_approval_on_a_hand_edited_record_waits_for_a_second_look(world) -> None:  # type: ignore[no-untyped-def]
    app = _in_review(world)
    told = app.messages.count()
    app = services.application_approve(application_id=app.pk, user=world["reviewer"], comment="材料齐全")
    assert app.state == State.IN_REVIEW and not Registration.objects.exists()
    proposal = two_person.pending_proposal(app)
    assert proposal is not None and proposal.decision == "approve" and proposal.comment == "材料齐全"
    assert AuditEvent.objects.filter(action="approval_proposed", application_id=app.pk).exists()
    assert not app.events.filter(action="approve").exists()
    # Meanwhile the claimer cannot decide otherwise, release or ask for 补正, and nobody is told anything.
    with pytest.raises(Conflict):
        services.application_approve(application_id=app.pk, user=world["reviewer"])
    with pytest.raises(ServiceError) as e:
        services.application_release(application_id=app.pk, user=world["reviewer"])
    assert e.value.code == "pending_rejection" and "准予注册" in e.value.message
    with pytest.raises(Conflict):
        services.application_rejection_propose(application_id=app.pk, user=world["reviewer"], reason="age",
                                               comment="年龄超过65周岁")
    assert app.messages.count() == told
    steps = {s.key: s.node for s in progress.timeline(list(app.events.all()))}
    assert steps["review"] == progress.Node.ACTIVE and steps["done"] == progress.Node.PENDING
    page = signed_in(app.applicant).get(f"/progress/{app.pk}/").content.decode()
    assert "审查中" in page and "准予注册" not in page and "复核" not in page


def test_the_proposer_and_a_reviewer_without_the_role_cannot_confirm(world) -> None:  # type: ignore[no-untyped-def]
    app = _in_review(world)
    services.application_approve(application_id=app.pk, user=world["reviewer"])
    with pytest.raises(ServiceError) as e:
        services.application_approval_confirm(application_id=app.pk, user=cast.reviewer("lisi"))
    assert e.value.status == 403
    world["reviewer"].groups.add(Group.objects.get_or_create(name="复核")[0])
    proposer = User.objects.get(pk=world["reviewer"].pk)  # as on their next request (groups are read once per user object)
    with pytest.raises(ServiceError) as e:
        services.application_approval_confirm(application_id=app.pk, user=proposer)
    assert e.value.code == "same_person" and "准予注册" in e.value.message
    with pytest.raises(Conflict):  # an approval waits, not a rejection
        services.application_rejection_confirm(application_id=app.pk, user=world["approver"])
    assert _state(app) == State.IN_REVIEW


def _state(app) -> str:  # type: ignore[no-untyped-def]
    app.refresh_from_db()
    return app.state


def test_another_approver_confirms_and_the_registration_is_made(world) -> None:  # type: ignore[no-untyped-def]
    app = _in_review(world)
    services.application_approve(application_id=app.pk, user=world["reviewer"], comment="材料齐全")
    app = services.application_approval_confirm(application_id=app.pk, user=world["approver"], note="已核资格证书原件")
    assert app.state == State.APPROVED and app.decision_comment == "材料齐全"
    assert Registration.objects.get(applicant=world["person"]).current_certificate is not None
    event = app.events.get(action="approve")
    assert event.actor_user == world["approver"] and event.actor_label.startswith("复核")
    proposal = app.rejection_proposals.get()
    assert proposal.outcome == RejectionProposal.Outcome.AGREED and proposal.decision_note == "已核资格证书原件"
    with pytest.raises(Conflict):  # once only
        services.application_approval_confirm(application_id=app.pk, user=world["approver"])


def test_a_declined_approval_goes_back_to_the_reviewer(world) -> None:  # type: ignore[no-untyped-def]
    app = _in_review(world)
    services.application_approve(application_id=app.pk, user=world["reviewer"])
    with pytest.raises(ServiceError) as e:
        services.application_approval_decline(application_id=app.pk, user=world["approver"], note=" ")
    assert "note" in e.value.fields
    proposal = services.application_approval_decline(application_id=app.pk, user=world["approver"],
                                                     note="资格库修改无依据，请核实")
    assert proposal.outcome == RejectionProposal.Outcome.DECLINED
    assert AuditEvent.objects.filter(action="approval_declined", application_id=app.pk).exists()
    assert _state(app) == State.IN_REVIEW and two_person.pending_proposal(app) is None
    # The reviewer acts again: approving proposes again (the record is still as edited), or 补正, or release.
    services.application_approve(application_id=app.pk, user=world["reviewer"])
    assert two_person.pending_proposal(app).decision == "approve"  # type: ignore[union-attr]


def test_an_approver_cannot_approve_directly_what_the_reviewer_claimed(world) -> None:  # type: ignore[no-untyped-def]
    app = _in_review(world)
    with pytest.raises(Conflict):  # no proposal yet: nothing for 复核 to agree to
        services.application_approval_confirm(application_id=app.pk, user=world["approver"])
    assert _state(app) == State.IN_REVIEW


def test_an_import_that_rewrites_the_record_lifts_the_second_look(world) -> None:  # type: ignore[no-untyped-def]
    app = _in_review(world)
    record = _by_hand(world["person"])
    line = (f"{record.certificate_number},{record.name},{world['person'].id_number},{record.category},"
            f"{record.obtained_on.isoformat()}\n")
    report = roster.qualifications_import_rows(lines=[",".join(roster.COLUMNS) + "\n", line])
    assert report.updated == 1
    record.refresh_from_db()
    assert not record.edited_by_hand and record.edited_by is None and record.edited_at is None
    app = services.application_approve(application_id=app.pk, user=world["reviewer"])
    assert app.state == State.APPROVED
    again = roster.qualifications_import_rows(lines=[",".join(roster.COLUMNS) + "\n", line])
    assert (again.updated, again.unchanged) == (0, 1)


def test_approval_without_a_hand_edit_is_the_reviewers_alone(world) -> None:  # type: ignore[no-untyped-def]
    app = _in_review(world, by_hand=False)
    app = services.application_approve(application_id=app.pk, user=world["reviewer"])
    assert app.state == State.APPROVED and not app.rejection_proposals.exists()


def test_a_closed_application_leaves_no_second_look_waiting(world) -> None:  # type: ignore[no-untyped-def]
    app = _in_review(world)
    services.application_approve(application_id=app.pk, user=world["reviewer"], comment="材料齐全")
    proposal = two_person.pending_proposal(app)
    assert proposal is not None
    services.application_close(application_id=app.pk, reason="注册已注销，该申请终止办理。")
    assert two_person.pending_proposal(app) is None
    proposal.refresh_from_db()
    assert proposal.outcome == RejectionProposal.Outcome.CLOSED and proposal.decided_at is not None
    assert not RejectionProposal.objects.filter(outcome=RejectionProposal.Outcome.PENDING).exists()
    with pytest.raises(Conflict):
        services.application_approval_confirm(application_id=app.pk, user=world["approver"])
