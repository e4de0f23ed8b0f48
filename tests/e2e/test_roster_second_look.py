"""The roster in the browser: an operator uploads it in the admin and corrects a record by hand; the initial
registration resting on that record is approved by the reviewer and made only when a 复核 approver agrees."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from jianli.accounts.staff import staff_password_keep
from jianli.registrations import calendar, roster
from jianli.registrations.models import Application, Qualification, State
from jianli.testing import cast, id_number
from jianli.testing.cast import code, device_for
from tests.e2e.conftest import shot
from tests.e2e.test_decision_rejection import sign_in

pytestmark = pytest.mark.e2e

WIDE = {"width": 1366, "height": 900}


def wide_page(browser, live_server):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=WIDE, locale="zh-CN", base_url=live_server.url)
    context.set_default_timeout(15000)
    return context.new_page()


def test_operator_corrects_the_roster_and_an_approver_confirms_the_approval(browser, live_server, transactional_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    calendar.load_all()
    ops = User.objects.create_superuser("ops", password=cast.PASSWORD)
    staff_password_keep(user=ops)  # as chosen by the operator: the admin does not ask to change it first
    ops_device = device_for(ops)
    person = cast.applicant(12, "王建国")
    good = id_number(sequence=14)
    bad = good[:-1] + ("1" if good[-1] != "1" else "2")  # a wrong check character
    source = tmp_path / "资格库.csv"
    source.write_text(",".join(roster.COLUMNS) + "\n"
                      f"JL2024110100031,王建国,{person.id_number},土木建筑工程,2024-10-02\n"
                      f"JL2024110100032,李四,{bad},土木建筑工程,2024-10-20\n"
                      f"JL2024110100033,赵五,{id_number(sequence=16)},土木建筑工程,2024-10-20\n", encoding="utf-8")

    admin = wide_page(browser, live_server)
    admin.goto("/ops/login/")
    admin.fill("#id_username", "ops")
    admin.fill("#id_password", cast.PASSWORD)
    admin.fill("#id_token", code(ops_device))
    admin.get_by_role("button", name="登录").click()
    admin.goto("/ops/admin/registrations/qualification/")
    admin.get_by_role("link", name="上传资格库（CSV、Excel）").click()
    admin.set_input_files("#id_file", str(source))
    admin.get_by_role("button", name="上传并导入").click()
    expect(admin.get_by_text("新增 2 条，更新 0 条，未变化 0 条，拒绝 1 条")).to_be_visible()
    expect(admin.get_by_role("cell", name="身份证号码无效：校验位不正确，请核对身份证号码")).to_be_visible()
    shot(admin, "roster-upload-result")
    # The certificate says 10月20日, the file 10月2日: the operator corrects it by hand.
    record = Qualification.objects.get(certificate_number="JL2024110100031")
    admin.goto(f"/ops/admin/registrations/qualification/{record.pk}/change/")
    admin.fill("#id_obtained_on", "2024-10-20")
    admin.get_by_role("button", name="保存", exact=True).click()
    expect(admin.get_by_text("人工修改").first).to_be_visible()

    emp = cast.employer(1, "北京华建工程监理有限公司")
    reviewer, approver = cast.reviewer("shencha"), cast.reviewer("fuhe", "复核")
    reviewer_device, approver_device = device_for(reviewer), device_for(approver)
    app = cast.in_review(cast.submitted(person, emp), cast.staff(emp), reviewer)

    review = wide_page(browser, live_server)
    sign_in(review, reviewer, reviewer_device)
    review.goto(f"/review/applications/{app.number}/")
    expect(review.locator("#approve-second-look")).to_contain_text("经人工修改")
    review.fill("#id_comment_a", "材料齐全，资格证书原件已核。")
    review.get_by_role("button", name="准予注册").click()
    expect(review.get_by_text("已提请复核：准予注册，等待复核人员复核。")).to_be_visible()
    assert Application.objects.get(pk=app.pk).state == State.IN_REVIEW

    second = wide_page(browser, live_server)
    sign_in(second, approver, approver_device)
    second.get_by_role("link", name="待复核 1").click()
    second.get_by_role("link", name=app.number).click()
    expect(second.get_by_role("heading", name="复核：拟准予注册")).to_be_visible()
    second.locator("#second-look").scroll_into_view_if_needed()
    shot(second, "roster-second-look-case")
    second.get_by_role("button", name="同意，准予注册").click()
    expect(second.get_by_text("已同意，作出准予注册决定。")).to_be_visible()
    assert Application.objects.get(pk=app.pk).state == State.APPROVED
    for page in (admin, review, second):
        page.context.close()
