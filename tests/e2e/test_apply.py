"""Each business type in a phone browser: sign in, 申报须知, 申报信息 with attachments, 申报告知, receipt."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from jianli import testing
from jianli.registrations.models import Application, State
from jianli.testing import cast
from tests.e2e.conftest import shot

pytestmark = pytest.mark.e2e


def sign_in_by_face(page, applicant, business_type: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/welcome/")
    page.fill("#id_nickname", "老张")
    page.get_by_role("button", name="保存").click()
    page.goto(f"/services/jianli/{business_type}/")
    page.get_by_role("link", name="在线办理").click()
    page.fill("#id_name", applicant.name)
    page.fill("#id_id_number", applicant.id_number)
    page.get_by_role("button", name="确定").click()
    page.check("#id_consent")
    page.get_by_role("button", name="下一步").click()
    page.get_by_role("button", name="模拟识别通过").click()
    page.get_by_role("link", name="继续办理").click()


def attach(page, tmp_path, slot: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / f"{slot}.pdf"
    path.write_bytes(testing.pdf_bytes())
    page.set_input_files(f"#id_{slot}", str(path))


FILL = {
    "initial": (
        [("#id_school", "同济大学"), ("#id_major", "土木工程"), ("#id_graduation_date", "2007-07-01"),
         ("#id_work_history-0-start", "2007-08-01"), ("#id_work_history-0-employer", "北京华建工程监理有限公司"),
         ("#id_work_history-0-position", "监理员"), ("#id_projects-0-name", "朝阳区住宅项目"),
         ("#id_projects-0-role", "专业监理工程师"), ("#id_projects-0-year", "2020")],
        {"#id_degree": "本科", "#id_title": "工程师"},
        ["specialties-1"],
        ["id_card", "qualification_certificate", "labour_contract"],
    ),
    "renewal": ([("#id_ce_compulsory_hours", "48"), ("#id_ce_elective_hours", "50")], {}, [],
                ["labour_contract", "ce_proof"]),
    "change": ([("#id_leave_date", "2026-01-05")], {}, [], ["labour_contract", "termination_proof"]),
    "cancellation": ([], {"#id_cancellation_reason": "本人申请"}, [], []),
    "replacement": ([], {"#id_replacement_reason": "遗失"}, [], ["loss_statement"]),
}


@pytest.mark.parametrize("business_type", ["initial", "renewal", "change", "cancellation", "replacement"])
def test_each_business_type_from_notice_to_receipt(phone, tmp_path, business_type):
    page = phone
    employer = cast.employer(name="北京华建工程监理有限公司")
    new_employer = cast.employer(1, "上海申城建设咨询有限公司")
    applicant = cast.applicant(photo=testing.astronaut())
    if business_type == "initial":
        cast.qualification(applicant, certificate_number="JL2024110100031")  # the roster record the form types
    else:
        days = 60 if business_type == "renewal" else 400
        cast.registration(applicant, employer, valid_until=dt.date.today() + dt.timedelta(days=days))
    sign_in_by_face(page, applicant, business_type)

    expect(page.get_by_text("注册须知")).to_be_visible()
    page.check("#check-all")
    shot(page, f"apply-{business_type}-1-notice")
    page.get_by_role("button", name="下一步").click()

    texts, selects, checks, slots = FILL[business_type]
    if business_type == "change":
        page.check("#change_items-1")  # 聘用单位: the page re-renders with the new employer's fields
        expect(page.locator("#id_employer")).to_be_visible()
        page.fill("#id_employer", new_employer.uscc)
    if business_type == "initial":
        page.fill("#id_employer", employer.uscc)
    for selector, value in texts:
        page.fill(selector, value)
    for selector, value in selects.items():
        page.select_option(selector, value)
    if business_type == "replacement":
        expect(page.locator("#id_loss_statement")).to_be_visible()
    for check in checks:
        page.check(f"#{check}")
    for slot in slots:
        attach(page, tmp_path, slot)
    shot(page, f"apply-{business_type}-2-info")
    page.get_by_role("button", name="下一步").click()

    expect(page.get_by_role("heading", name="请核对申报信息")).to_be_visible()
    page.check("#id_commitment")
    shot(page, f"apply-{business_type}-3-summary")
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_role("heading", name="申请已提交")).to_be_visible()
    application = Application.objects.get(applicant=applicant)
    expect(page.locator(".application-number")).to_have_text(application.number)
    assert application.state == State.AWAITING_EMPLOYER
    shot(page, f"apply-{business_type}-4-receipt")


def test_leaving_half_way_resumes_in_a_new_browser(browser, live_server, transactional_db, tmp_path):
    from tests.e2e.conftest import new_phone_page

    employer = cast.employer(name="北京华建工程监理有限公司")
    applicant = cast.applicant(photo=testing.astronaut())
    cast.qualification(applicant, certificate_number="JL2024110100031")
    page = new_phone_page(browser, live_server)
    sign_in_by_face(page, applicant, "initial")
    page.check("#check-all")
    page.get_by_role("button", name="下一步").click()
    expect(page.locator("#id_qualification_number")).to_have_text("JL2024110100031")  # from the roster, locked
    page.fill("#id_school", "同济大学")
    page.fill("#id_employer", employer.uscc)
    page.fill("#id_work_history-0-employer", "北京华建")
    page.get_by_role("button", name="下一步").click()  # incomplete: errors shown, draft saved
    expect(page.locator(".error-summary")).to_be_visible()
    page.context.close()

    page = new_phone_page(browser, live_server)
    sign_in_by_face(page, applicant, "initial")
    expect(page.locator("#id_qualification_number")).to_have_text("JL2024110100031")
    expect(page.locator("#id_school")).to_have_value("同济大学")
    expect(page.locator("#id_employer")).to_have_value(employer.uscc)
    expect(page.locator("#id_work_history-0-employer")).to_have_value("北京华建")
    page.context.close()


def test_select_all_ticked_before_the_script_ran_still_counts(phone):  # type: ignore[no-untyped-def]
    """On a slow phone 全选 can be ticked before the page's script has loaded; the script must not untick it."""
    page = phone
    applicant = cast.applicant(photo=testing.astronaut())
    cast.qualification(applicant, certificate_number="JL2024110100031")
    sign_in_by_face(page, applicant, "initial")
    held = []
    page.route("**/js/apply*.js*", lambda route: held.append(route))
    page.reload(wait_until="commit")
    page.locator("#check-all").check()
    while not held:
        page.wait_for_timeout(50)
    held[0].continue_()
    expect(page.locator("[data-condition]").first).to_be_checked()
    expect(page.locator("#check-all")).to_be_checked()
    page.get_by_role("button", name="下一步").click()
    expect(page.locator("#id_employer")).to_be_visible()
