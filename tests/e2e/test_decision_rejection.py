"""不予注册 in the browser: the reviewer proposes it, a 复核 approver agrees in the ministry console."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from jianli.registrations import calendar, rejection
from jianli.registrations.models import Application, State
from jianli.testing import cast
from jianli.testing.cast import code, device_for
from tests.e2e.conftest import shot
from tests.e2e.test_decision_flow import axe_serious, desktop_page

pytestmark = pytest.mark.e2e


def sign_in(page, user, device) -> None:  # type: ignore[no-untyped-def]
    page.goto("/review/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", cast.PASSWORD)
    page.fill("#id_token", code(device))
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="审查队列")).to_be_visible()


def test_reviewer_proposes_and_approver_confirms_a_rejection(browser, live_server, transactional_db) -> None:  # type: ignore[no-untyped-def]
    calendar.load_all()
    emp = cast.employer(1, "北京华建工程监理有限公司")
    reviewer, approver = cast.reviewer("shencha"), cast.reviewer("fuhe", "复核")
    reviewer_device, approver_device = device_for(reviewer), device_for(approver)
    app = cast.in_review(cast.submitted(cast.applicant(12, "王建国"), emp), cast.staff(emp), reviewer)

    review = desktop_page(browser, live_server)
    sign_in(review, reviewer, reviewer_device)
    review.goto(f"/review/applications/{app.number}/")
    review.get_by_text("提请不予注册（需复核）").click()
    review.select_option("#id_reason", "continuing_education")
    review.fill("#id_reject_comment", "本注册周期继续教育必修课学时不足48学时。")
    review.get_by_role("button", name="提请复核").click()
    expect(review.get_by_text("等待复核人员复核").first).to_be_visible()

    second = desktop_page(browser, live_server)
    sign_in(second, approver, approver_device)
    second.get_by_role("link", name="待复核 1").click()
    second.get_by_role("link", name=app.number).click()
    expect(second.get_by_role("heading", name="复核：拟不予注册")).to_be_visible()
    shot(second, "decision-review-second-look")
    assert axe_serious(second) == []
    second.get_by_role("button", name="同意，不予注册").click()
    expect(second.get_by_text("已同意，作出不予注册决定")).to_be_visible()
    app = Application.objects.get(pk=app.pk)
    assert app.state == State.REJECTED and app.decision_reason == "continuing_education"
    assert rejection.pending_rejection(app) is None
    review.context.close()
    second.context.close()
