"""The words of a decision per business type × outcome (issue 16 item 4): a cancellation is never announced as 准予注册."""

from __future__ import annotations

import pytest

from jianli.notifications.services import notify_transition
from jianli.registrations.models import Application, BusinessType, State
from jianli.testing import cast

WORDS = {
    ("initial", "approve"): "准予注册",
    ("renewal", "approve"): "准予延续注册",
    ("change", "approve"): "准予变更注册",
    ("cancellation", "approve"): "准予注销注册",
    ("replacement", "approve"): "准予补发证书",
    ("initial", "reject"): "不予注册",
    ("renewal", "reject"): "不予延续注册",
    ("change", "reject"): "不予变更注册",
    ("cancellation", "reject"): "不予注销注册",
    ("replacement", "reject"): "不予补发证书",
}


@pytest.mark.django_db
@pytest.mark.parametrize(("business_type", "action"), list(WORDS))
def test_sms_names_the_decision_of_its_business_type(business_type: str, action: str) -> None:
    person = cast.applicant()
    app = Application.objects.create(applicant=person, business_type=business_type, state=State.APPROVED,
                                     number="JL2026120200000001")
    text = notify_transition(app, action).text  # type: ignore[union-attr]
    assert WORDS[(business_type, action)] in text
    if business_type != BusinessType.INITIAL:
        assert "准予注册" not in text and "，不予注册" not in text


@pytest.mark.parametrize(("business_type", "action"), list(WORDS))
def test_progress_text_names_the_decision_of_its_business_type(business_type: str, action: str) -> None:
    from jianli.registrations import progress

    state = State.APPROVED if action == "approve" else State.REJECTED
    text = progress.next_step(Application(business_type=business_type, state=state))
    assert text.startswith(WORDS[(business_type, action)])
