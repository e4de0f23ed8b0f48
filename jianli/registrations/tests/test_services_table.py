"""Every application action × every state × every kind of actor, through `services` against the database: the
few that are allowed change the application; every other is refused (ServiceError, Conflict among them) or,
for a repeated submit, changes nothing.

The table of what is allowed is written here from the regulations, not read from `workflow.TRANSITIONS`, so that a
transition that declares too much (or too little) is caught.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction

from jianli import pii
from jianli.errors import ServiceError
from jianli.registrations import services
from jianli.registrations.correction import correction_attachment_upload
from jianli.registrations.models import Application, Qualification, RejectionProposal, State
from jianli.testing import cast, pdf_bytes

pytestmark = pytest.mark.django_db

PROPOSED = "in_review_proposed"  # in review, with a 拟不予注册 waiting for 复核
# in review, with a 准予注册 waiting for 复核 (the roster record was edited by hand, see two_person.TWO_PERSON)
APPROVAL_PROPOSED = "in_review_approval_proposed"
STATES = [*State.values, PROPOSED, APPROVAL_PROPOSED]
OPEN = [State.AWAITING_EMPLOYER, State.RETURNED, State.AWAITING_REVIEW, State.IN_REVIEW, PROPOSED, APPROVAL_PROPOSED,
        State.IN_CORRECTION]

# Who may be asked to act, by the kind of person each action takes.
ACTORS = {
    "applicant": ["owner", "other_applicant"],
    "employer": ["own_staff", "other_staff"],
    "ministry": ["claimer", "reviewer", "approver", "no_group"],
    "system": ["system"],
}

Call = Callable[[dict[str, Any], Application, Any], object]
ACTIONS: dict[str, tuple[str, Call]] = {
    "submit": ("applicant", lambda w, a, who: services.application_submit(application=a, applicant=who)),
    "resubmit": ("applicant", lambda w, a, who: services.application_resubmit(application=a, applicant=who)),
    "withdraw": ("applicant", lambda w, a, who: services.application_withdraw(
        application=a, applicant=who, expected_state=a.state)),
    "resubmit_correction": ("applicant", lambda w, a, who: services.application_resubmit_correction(
        application_id=a.pk, applicant=who, data={})),
    "report": ("employer", lambda w, a, who: services.application_report(application_id=a.pk, staff=who)),
    "return": ("employer", lambda w, a, who: services.application_return(
        application_id=a.pk, staff=who, reason="劳动合同未盖章")),
    "claim": ("ministry", lambda w, a, who: services.application_claim(application_id=a.pk, user=who)),
    "release": ("ministry", lambda w, a, who: services.application_release(application_id=a.pk, user=who)),
    "request_correction": ("ministry", lambda w, a, who: services.application_request_correction(
        application_id=a.pk, user=who,
        problems=[{"kind": "attachment", "name": "labour_contract", "message": "缺少单位盖章页"}])),
    "approve": ("ministry", lambda w, a, who: services.application_approve(application_id=a.pk, user=who)),
    "rejection_propose": ("ministry", lambda w, a, who: services.application_rejection_propose(
        application_id=a.pk, user=who, reason="age", comment="年龄超过65周岁")),
    "rejection_confirm": ("ministry", lambda w, a, who: services.application_rejection_confirm(
        application_id=a.pk, user=who, note="同意")),
    "rejection_decline": ("ministry", lambda w, a, who: services.application_rejection_decline(
        application_id=a.pk, user=who, note="理由不足")),
    "approval_confirm": ("ministry", lambda w, a, who: services.application_approval_confirm(
        application_id=a.pk, user=who, note="同意")),
    "approval_decline": ("ministry", lambda w, a, who: services.application_approval_decline(
        application_id=a.pk, user=who, note="资格库修改无依据")),
    "close": ("system", lambda w, a, who: services.application_close(application_id=a.pk, reason="注册已注销")),
}

ALLOWED = {
    ("submit", State.DRAFT, "owner"),
    ("resubmit", State.RETURNED, "owner"),
    *{("withdraw", s, "owner") for s in (State.AWAITING_EMPLOYER, State.RETURNED, State.AWAITING_REVIEW)},
    ("resubmit_correction", State.IN_CORRECTION, "owner"),
    ("report", State.AWAITING_EMPLOYER, "own_staff"),
    ("return", State.AWAITING_EMPLOYER, "own_staff"),
    ("claim", State.AWAITING_REVIEW, "claimer"),
    ("claim", State.AWAITING_REVIEW, "reviewer"),
    *{(action, State.IN_REVIEW, "claimer") for action in ("release", "request_correction", "approve",
                                                          "rejection_propose")},
    ("rejection_confirm", PROPOSED, "approver"),
    ("rejection_decline", PROPOSED, "approver"),
    ("approval_confirm", APPROVAL_PROPOSED, "approver"),
    ("approval_decline", APPROVAL_PROPOSED, "approver"),
    *{("close", s, "system") for s in OPEN},
}


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    emp, other = cast.employer(1), cast.employer(2)
    return {
        "owner": cast.applicant(12, "王建国"),
        "other_applicant": cast.applicant(14, "李四"),
        "emp": emp,
        "own_staff": cast.staff(emp),
        "other_staff": cast.staff(other, "other"),
        "claimer": cast.reviewer("shencha"),
        "reviewer": cast.reviewer("shencha2"),
        "approver": cast.reviewer("fuhe", "复核"),
        "no_group": cast.reviewer("nobody", "运维"),
        "system": None,
    }


def bring(w: dict[str, Any], state: str) -> Application:
    """The owner's application brought to `state` through the services."""
    if state == State.DRAFT:
        return cast.draft(w["owner"], w["emp"])
    app = cast.submitted(w["owner"], w["emp"])
    if state == State.RETURNED:
        services.application_return(application_id=app.pk, staff=w["own_staff"], reason="请核对")
    elif state == State.WITHDRAWN:
        services.application_withdraw(application=app, applicant=w["owner"], expected_state=app.state)
    elif state != State.AWAITING_EMPLOYER:
        services.application_report(application_id=app.pk, staff=w["own_staff"])
        if state != State.AWAITING_REVIEW:
            services.application_claim(application_id=app.pk, user=w["claimer"])
        if state == State.IN_CORRECTION:
            ACTIONS["request_correction"][1](w, app, w["claimer"])
        elif state == State.APPROVED:
            services.application_approve(application_id=app.pk, user=w["claimer"])
        elif state == APPROVAL_PROPOSED:
            Qualification.objects.filter(id_hash=pii.lookup_hash(w["owner"].id_number)).update(edited_by_hand=True)
            services.application_approve(application_id=app.pk, user=w["claimer"])
        elif state in (PROPOSED, State.REJECTED):
            ACTIONS["rejection_propose"][1](w, app, w["claimer"])
        if state == State.REJECTED:
            ACTIONS["rejection_confirm"][1](w, app, w["approver"])
    return Application.objects.get(pk=app.pk)


def footprint(app: Application) -> tuple[object, ...]:
    app = Application.objects.get(pk=app.pk)
    proposals = tuple(RejectionProposal.objects.filter(application=app).values_list("outcome", flat=True))
    return app.state, app.events.count(), proposals


def attempt(w: dict[str, Any], app: Application, action: str, actor: str) -> str:
    """"allowed" or "refused"; the database is left as it was either way."""
    with transaction.atomic():
        before = footprint(app)
        try:
            ACTIONS[action][1](w, Application.objects.get(pk=app.pk), w[actor])
        except ServiceError:
            outcome = "refused"
        else:
            outcome = "allowed" if footprint(app) != before else "refused"
        transaction.set_rollback(True)
    return outcome


@pytest.mark.parametrize("state", STATES)
def test_every_action_by_every_actor(world, state: str) -> None:  # type: ignore[no-untyped-def]
    app = bring(world, state)
    assert app.state == (State.IN_REVIEW if state in (PROPOSED, APPROVAL_PROPOSED) else state)
    wrong = []
    for action, (kind, _) in ACTIONS.items():
        for actor in ACTORS[kind]:
            expected = "allowed" if (action, state, actor) in ALLOWED else "refused"
            if (got := attempt(world, app, action, actor)) != expected:
                wrong.append(f"{action} by {actor}: {got}, expected {expected}")
    assert wrong == []
    assert footprint(app)[0] == app.state  # every attempt was rolled back


def test_resubmission_after_correction_goes_to_the_employer_only_when_its_facts_changed(world) -> None:  # type: ignore[no-untyped-def]
    app = bring(world, State.IN_CORRECTION)
    assert services.application_resubmit_correction(
        application_id=app.pk, applicant=world["owner"], data={}
    ).state == State.AWAITING_REVIEW
    # The labour contract is a fact the employer confirmed: a new one goes back to the employer.
    app = bring({**world, "owner": cast.applicant(16, "赵五")}, State.IN_CORRECTION)
    owner = app.applicant
    correction_attachment_upload(application=app, applicant=owner, slot="labour_contract", filename="new.pdf",
                                 content=pdf_bytes(3000))
    app = services.application_resubmit_correction(application_id=app.pk, applicant=owner, data={})
    assert app.state == State.AWAITING_EMPLOYER
