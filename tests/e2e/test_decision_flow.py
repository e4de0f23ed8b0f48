"""From an application awaiting the employer to 准予注册: the employer console and the ministry console in a
desktop browser, with TOTP sign-in, 补正 with two problems, the applicant's resubmission, re-confirmation by the
employer, the version diff and the approval's effect on the Registration."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from jianli.registrations import calendar, rules, services
from jianli.registrations.models import Application, Registration, State
from jianli.testing import cast, cat
from jianli.testing.cast import code, device_for
from tests.e2e.conftest import new_phone_page, shot
from tests.e2e.test_apply import sign_in_by_face

pytestmark = pytest.mark.e2e


def axe_serious(page) -> list:  # type: ignore[no-untyped-def,type-arg]
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        (v["id"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def desktop_page(browser, live_server):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", base_url=live_server.url)
    context.set_default_timeout(15000)
    return context.new_page()


def test_employer_reports_reviewer_asks_for_correction_then_approves(browser, live_server, transactional_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    calendar.load_all()
    emp = cast.employer(1, "北京华建工程监理有限公司")
    staff = cast.staff(emp, "jingban", is_admin=True)
    staff_device = device_for(staff.user)
    reviewer = cast.reviewer("shencha")
    reviewer_device = device_for(reviewer)
    app = cast.submitted(cast.applicant(12, "王建国"), emp)
    for i in range(3):  # something else in the queue
        other = cast.submitted(cast.applicant(40 + 2 * i, f"申请人{i}"), emp)
        services.application_report(application_id=other.pk, staff=staff)

    office = desktop_page(browser, live_server)
    office.goto("/office/")
    assert axe_serious(office) == []
    expect(office).to_have_url(f"{live_server.url}/office/login/?next=%2Foffice%2F")
    office.fill("#id_uscc", emp.uscc)
    office.fill("#id_username", "jingban")
    office.fill("#id_password", cast.PASSWORD)
    office.fill("#id_token", code(staff_device))
    office.get_by_role("button", name="登录").click()
    expect(office.get_by_role("heading", name="本单位办件")).to_be_visible()
    shot(office, "decision-office-list")
    office.get_by_role("link", name=app.number).click()
    expect(office.get_by_text("**************" + app.applicant.id_number[-4:])).to_be_visible()
    shot(office, "decision-office-detail")
    assert axe_serious(office) == []
    office.get_by_role("button", name="确认上报").click()
    expect(office.get_by_text("已确认上报")).to_be_visible()

    review = desktop_page(browser, live_server)
    review.goto("/review/login/")
    review.fill("#id_username", "shencha")
    review.fill("#id_password", cast.PASSWORD)
    review.fill("#id_token", code(reviewer_device))
    review.get_by_role("button", name="登录").click()
    expect(review.get_by_role("heading", name="审查队列")).to_be_visible()
    expect(review.get_by_role("link", name=app.number)).to_be_visible()
    shot(review, "decision-review-queue")
    assert axe_serious(review) == []
    review.get_by_role("link", name=app.number).click()
    review.get_by_role("button", name="领取审查").click()
    expect(review.get_by_text("已领取")).to_be_visible()
    review.get_by_text("补正（一次性告知）").click()
    review.select_option("#id_target_0", "field:school")
    review.fill("#id_message_0", "请填写毕业证书上的院校全称")
    review.select_option("#id_target_1", "attachment:labour_contract")
    review.fill("#id_message_1", "劳动合同缺少单位盖章页，请上传完整合同")
    review.select_option("#id_target_2", "rows:projects")
    review.fill("#id_message_2", "请补充近三年的工程业绩")
    shot(review, "decision-review-correction-form")
    assert axe_serious(review) == []
    review.get_by_role("button", name="发出补正通知").click()
    expect(review.get_by_text("已发出补正通知")).to_be_visible()
    app.refresh_from_db()
    assert app.state == State.IN_CORRECTION and app.paused_at is not None

    # The applicant, on a phone, signs in and can change exactly the items asked for (工程业绩: the row entered
    # before, and one empty row).
    phone = new_phone_page(browser, live_server)
    sign_in_by_face(phone, app.applicant, "initial")
    phone.goto(f"/progress/{app.pk}/")
    phone.get_by_role("link", name="去补正").click()
    expect(phone.locator("form input[name], form select[name], form textarea[name]").and_(
        phone.locator(":not([type=hidden])"))).to_have_count(2 + 3 * 2)
    expect(phone.locator("#id_school")).to_be_visible()
    expect(phone.locator("#id_projects-0-name")).to_have_value("朝阳区住宅项目")
    phone.fill("#id_school", "同济大学（四平路校区）")
    contract = tmp_path / "contract.jpg"
    contract.write_bytes(cat())
    phone.set_input_files("#id_labour_contract", str(contract))
    phone.fill("#id_projects-1-name", "上海中心大厦")
    phone.fill("#id_projects-1-role", "总监理工程师")
    phone.get_by_role("button", name="添加一条工程业绩").click()
    expect(phone.locator("#id_projects-2-name")).to_be_visible()
    phone.fill("#id_projects-2-name", "虹桥综合交通枢纽")
    phone.fill("#id_projects-2-role", "专业监理工程师")
    phone.fill("#id_projects-2-year", "2010")
    shot(phone, "decision-applicant-correction")
    phone.get_by_role("button", name="提交补正").click()
    expect(phone.get_by_text("第2条工程业绩：请填写完成年份")).to_have_count(2)  # summary and field
    assert axe_serious(phone) == []
    shot(phone, "decision-applicant-correction-rows-error")
    expect(phone.locator("#id_projects-2-name")).to_have_value("虹桥综合交通枢纽")
    phone.fill("#id_projects-1-year", "2016")
    phone.get_by_role("button", name="提交补正").click()
    expect(phone.get_by_text("补正材料已提交。", exact=True)).to_be_visible()
    app.refresh_from_db()
    assert app.state == State.AWAITING_EMPLOYER  # the labour contract is a fact the employer confirms
    phone.context.close()

    office.reload()
    office.get_by_role("button", name="确认上报").click()
    expect(office.get_by_text("已确认上报")).to_be_visible()

    review.goto(f"/review/applications/{app.number}/")
    review.get_by_role("button", name="领取审查").click()
    diff = review.locator("#diff")
    expect(diff).to_contain_text("同济大学（四平路校区）")
    expect(diff).to_contain_text("contract.jpg")
    expect(diff).to_contain_text("第2条：工程名称：上海中心大厦；担任职务：总监理工程师；完成年份：2016")
    expect(diff).to_contain_text("第3条：工程名称：虹桥综合交通枢纽；担任职务：专业监理工程师；完成年份：2010")
    shot(review, "decision-review-detail-diff")
    assert axe_serious(review) == []
    review.fill("#id_comment_a", "材料齐全，符合注册条件。")
    review.get_by_role("button", name="准予注册").click()
    expect(review.get_by_text("已准予注册")).to_be_visible()
    shot(review, "decision-review-approved")

    app = Application.objects.get(pk=app.pk)
    assert app.state == State.APPROVED
    reg = Registration.objects.get(applicant=app.applicant)
    assert reg.number and reg.current_certificate is not None
    assert reg.valid_until == rules.add_years(reg.valid_from, 3) - __import__("datetime").timedelta(days=1)
    expect(review.locator("#decide").get_by_text(reg.number)).to_be_visible()
    expect(review.locator("#decide").get_by_text(reg.current_certificate.number)).to_be_visible()
    office.context.close()
    review.context.close()
