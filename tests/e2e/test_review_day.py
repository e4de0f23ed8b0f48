"""A reviewer's day in a desktop browser (1366×900): sign in back to the page asked for, search by name and by ID
number, 领取下一件, ten files decided with the keyboard, a draft kept across the end of the session, and the team
lead's load and reassignment. Screenshots go to docs/review/."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jianli.registrations import calendar, services
from jianli.registrations.models import Application, BusinessType, State
from jianli.review import work
from jianli.testing import cast
from jianli.testing.cast import code, device_for
from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e

CONSOLE = {"width": 1366, "height": 900}
# The committed pictures (docs/review/) are rewritten only when asked (JIANLI_SCREENSHOTS=1); else artifacts/.
DOCS = (Path(__file__).resolve().parents[2] / "docs" / "review" if os.environ.get("JIANLI_SCREENSHOTS")
        else ARTIFACTS / "review")
NAMES = ["王建国", "王建华", "李娜", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴昊", "徐丽", "孙强"]


def console(browser, live_server):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=CONSOLE, locale="zh-CN", base_url=live_server.url)
    context.set_default_timeout(15000)
    return context.new_page()


def snap(page, name: str) -> None:  # type: ignore[no-untyped-def]
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / f"{name}.png"))


def sign_in(page, user, device, *, ahead: int = 0) -> None:  # type: ignore[no-untyped-def]
    page.fill("#id_username", user.username)
    page.fill("#id_password", cast.PASSWORD)
    page.fill("#id_token", code(device, ahead=ahead))
    page.get_by_role("button", name="登录").click()


def test_a_reviewers_day(browser, live_server, transactional_db, settings) -> None:  # type: ignore[no-untyped-def]
    calendar.load_all()
    emp = cast.employer(1, "北京华建工程监理有限公司")
    staff = cast.staff(emp)
    reviewer = cast.reviewer("shencha")
    reviewer_device = device_for(reviewer)
    colleague = cast.reviewer("lisi")
    colleague.first_name = "李审查"
    colleague.save()
    boss = cast.reviewer("zuzhang", "审查", work.TEAM_LEAD_GROUP)
    boss.first_name = "王组长"
    boss.save()
    boss_device = device_for(boss)
    today = timezone.localdate()
    apps = []
    for i, name in enumerate(NAMES):
        app = cast.submitted(cast.applicant(100 + 2 * i, name), emp)
        services.application_report(application_id=app.pk, staff=staff)
        Application.objects.filter(pk=app.pk).update(deadline=today + dt.timedelta(days=3 + (i * 7) % 13))
        apps.append(app)
    # 王建国 was registered before: his earlier decision and registration show beside a later change.
    first = apps[0]
    person = first.applicant
    services.application_claim(application_id=first.pk, user=colleague)
    services.application_approve(application_id=first.pk, user=colleague, comment="材料齐全，准予注册")
    change = cast.submitted(person, emp, BusinessType.CHANGE, data={"employer": emp.uscc})
    services.application_report(application_id=change.pk, staff=staff)
    Application.objects.filter(pk=change.pk).update(deadline=today + dt.timedelta(days=1))

    page = console(browser, live_server)
    # A link to a file, opened signed out, comes back to the file after sign-in.
    page.goto(f"/review/applications/{change.number}/")
    expect(page).to_have_url(f"{live_server.url}/review/login/?next=%2Freview%2Fapplications%2F{change.number}%2F")
    sign_in(page, reviewer, reviewer_device)
    expect(page.get_by_role("heading", name=f"办件 {change.number}")).to_be_visible()
    page.goto("/review/")
    expect(page.get_by_text("共 13 件")).to_be_visible()
    snap(page, "01-queue")

    # Search: / moves to the search box, a name prefix lists the files, an ID number never enters a URL.
    page.keyboard.press("/")
    expect(page.locator("#id_q")).to_be_focused()
    page.keyboard.type("王建")
    page.keyboard.press("Enter")
    expect(page.get_by_text("按姓名“王建”查询：找到")).to_be_visible()
    expect(page.get_by_role("link", name=change.number)).to_be_visible()
    expect(page.get_by_role("link", name=apps[1].number)).to_be_visible()
    snap(page, "02-search-name")
    page.fill("#id_q", person.id_number)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_text("按身份证号码“")).to_be_visible()
    assert person.id_number not in page.url

    # 领取下一件 (N): the file due first is the change of 王建国, with his context beside it.
    page.goto("/review/")
    page.keyboard.press("n")
    expect(page.get_by_text(f"已领取 {change.number}")).to_be_visible()
    context = page.locator("#context")
    expect(context).to_contain_text("材料齐全，准予注册")
    expect(context).to_contain_text(person.registration.number)
    snap(page, "03-case")
    context.scroll_into_view_if_needed()
    snap(page, "03-case-context")

    # Typing in a field types: "a" and "n" in the comment are text, not shortcuts; Esc leaves the field.
    page.locator("#id_comment_a").click()
    page.keyboard.type("an ok")
    expect(page.locator("#id_comment_a")).to_have_value("an ok")
    expect(page).to_have_url(f"{live_server.url}/review/applications/{change.number}/")
    page.keyboard.press("Escape")
    page.keyboard.press("a")
    expect(page.get_by_role("button", name="准予变更注册")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("已准予")).to_be_visible()

    # Nine more: N, then A and Enter; one of them a 补正 by the keyboard (B).
    decided = [change.number]
    for i in range(9):
        page.keyboard.press("n")
        expect(page.get_by_text("已领取")).to_be_visible()
        number = page.locator("h1").inner_text().split()[1]
        if i == 4:
            page.keyboard.press("b")
            expect(page.locator("#id_target_0")).to_be_focused()
            page.keyboard.press("ArrowDown")
            page.keyboard.press("Tab")
            page.keyboard.type("请填写毕业证书上的院校全称")
            snap(page, "04-correction-by-keyboard")
            page.keyboard.press("Enter")
            expect(page.get_by_text("已发出补正通知")).to_be_visible()
        else:
            page.keyboard.press("a")
            page.keyboard.press("Enter")
            expect(page.get_by_text("已准予注册")).to_be_visible()
        decided.append(number)
    states = dict(Application.objects.filter(number__in=decided).values_list("number", "state"))
    assert len(decided) == len(set(decided)) == 10
    assert sorted(states.values()) == sorted([State.APPROVED] * 9 + [State.IN_CORRECTION])

    # A draft outlives the session: warned two minutes (here: half the idle time) before, signed out, signed in
    # again, the typed reason is back.
    page.keyboard.press("n")
    expect(page.get_by_text("已领取")).to_be_visible()
    held = page.url
    page.keyboard.press("r")
    page.locator("#id_reason").select_option(index=1)
    page.fill("#id_reject_comment", "工程业绩与聘用单位不符，拟不予注册")
    settings.SESSION_COOKIE_AGE = 10
    page.reload()
    warning = page.get_by_role("alertdialog")
    expect(warning).to_be_visible(timeout=12000)
    expect(warning).to_contain_text("重新登录后回到本页会自动恢复")
    snap(page, "05-session-warning")
    expect(page).to_have_url(re.compile(r"/review/login/\?next=/review/applications/"), timeout=15000)
    page.wait_for_timeout(1500)
    settings.SESSION_COOKIE_AGE = 1800
    page.goto(page.url)  # the server's session has ended too: the sign-in form
    sign_in(page, reviewer, reviewer_device, ahead=1)  # the first sign-in's code may not be used again
    expect(page).to_have_url(held)
    expect(page.locator("#id_reject_comment")).to_have_value("工程业绩与聘用单位不符，拟不予注册")
    expect(page.get_by_text("已恢复您上次未提交的内容")).to_be_visible()
    snap(page, "06-draft-restored")
    page.context.close()

    # The team lead sees each reviewer's load and hands one of shencha's files to 李审查.
    held_number = held.rstrip("/").rsplit("/", 1)[1]
    lead = console(browser, live_server)
    lead.goto("/review/team/")
    sign_in(lead, boss, boss_device)
    expect(lead.get_by_role("heading", name="组长：审查人员工作量")).to_be_visible()
    snap(lead, "07-team-load")
    lead.goto(f"/review/applications/{held_number}/")
    lead.select_option("#id_to", label="李审查")
    lead.get_by_role("button", name="改派").click()
    expect(lead.get_by_text("已改派给 李审查")).to_be_visible()
    assert Application.objects.get(number=held_number).claimed_by_id == colleague.pk
    lead.goto("/review/?state=awaiting_review")
    lead.locator("#check-all").check()
    lead.select_option("select[name=to]", label="李审查")
    lead.get_by_role("button", name="改派", exact=True).click()
    expect(lead.get_by_text("已改派 2 件")).to_be_visible()
    snap(lead, "08-queue-after-reassign")
    lead.context.close()
