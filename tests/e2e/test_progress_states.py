"""更多 → 进度查询 → 查询 at 390×844 for an application in each state; axe-core on every page of the task, in
standard and 长辈模式 (large text)."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.conf import settings
from playwright.sync_api import expect

from jianli import testing
from jianli.accounts.models import Applicant
from jianli.portal.tests.test_progress import NAME, make_person
from jianli.registrations.models import State
from jianli.testing import cast
from tests.e2e.conftest import shot

pytestmark = pytest.mark.e2e

EXPECTED = {
    State.AWAITING_EMPLOYER: ("待企业上报", ["done", "active", "pending", "pending"]),
    State.AWAITING_REVIEW: ("待审查", ["done", "done", "active", "pending"]),
    State.IN_CORRECTION: ("补正中", ["done", "done", "active", "pending"]),
    State.APPROVED: ("准予注册", ["done", "done", "done", "done"]),
    State.REJECTED: ("不予注册", ["done", "done", "failed", "done"]),
    State.WITHDRAWN: ("已撤回", ["done", "pending", "pending", "done"]),
}


def sign_in(page, live_server, applicant: Applicant) -> None:  # type: ignore[no-untyped-def]
    """The face check is tested elsewhere: here the session is made directly, as after it."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store["applicant_id"] = applicant.pk
    store["profile_id"] = applicant.profile.pk
    store.save()
    page.context.clear_cookies()
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": store.session_key, "url": live_server.url}])


def assert_accessible(page, label: str) -> None:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"{label}: {bad}"


def open_more_then_progress(page) -> None:  # type: ignore[no-untyped-def]
    more = page.get_by_role("button", name="更多")
    more.click()
    sheet = page.get_by_role("dialog", name="更多")
    expect(sheet).to_be_visible()
    expect(more).to_have_attribute("aria-expanded", "true")
    for label in ["信息修改", "进度查询", "操作手册", "常见问题", "联系电话"]:
        expect(sheet.get_by_role("link", name=label)).to_be_visible()
    expect(sheet.get_by_role("button", name="收起")).to_be_visible()
    sheet.get_by_role("link", name="进度查询").click()


@pytest.mark.parametrize("state", list(EXPECTED), ids=[s.value for s in EXPECTED])
def test_progress_in_each_state(phone, live_server, state):
    page = phone
    app = cast.application(state, make_person(NAME))
    sign_in(page, live_server, app.applicant)
    page.goto("/")
    open_more_then_progress(page)
    expect(page.get_by_role("heading", name="进度查询")).to_be_visible()
    expect(page.locator("#id_name")).to_have_value(NAME)
    expect(page.locator("#id_id_number")).to_have_value(testing.id_number())
    expect(page.locator("#id_business_type")).to_have_value("initial")
    assert page.locator("#id_business_type option").all_inner_texts() == ["初始注册", "延续注册", "变更注册", "注销注册", "证书更换"]
    page.get_by_role("button", name="查询").click()

    status, nodes = EXPECTED[state]
    expect(page.get_by_role("heading", name="监理工程师执业资格认定")).to_be_visible()
    expect(page.get_by_text("事项编码: 11100000000013338W1000117040000")).to_be_visible()
    expect(page.get_by_text("经办企业: 北京示范工程监理有限公司")).to_be_visible()
    steps = page.locator(".pg-timeline > li")
    assert steps.evaluate_all("els => els.map(e => e.dataset.node)") == nodes
    assert [t.split("\n")[0].strip() for t in steps.locator(".tl-label").all_inner_texts()] == [
        "提交申请", "企业上报", "部级审核", "办结"]
    expect(page.locator(".status")).to_have_text(status)
    withdrawable = state in (State.AWAITING_EMPLOYER, State.AWAITING_REVIEW)
    expect(page.get_by_role("link", name="撤回业务")).to_have_count(1 if withdrawable else 0)
    shot(page, f"progress-{state.value}")
    assert_accessible(page, f"progress {state}")


def test_withdraw_in_the_browser(phone, live_server):
    page = phone
    app = cast.application(State.AWAITING_EMPLOYER)
    sign_in(page, live_server, app.applicant)
    page.goto(f"/progress/{app.pk}/")
    page.get_by_role("link", name="撤回业务").click()
    expect(page.get_by_text("不会删除任何内容")).to_be_visible()
    shot(page, "progress-withdraw-confirm")
    assert_accessible(page, "withdraw confirm")
    page.get_by_role("button", name="确认撤回").click()
    expect(page.locator(".status")).to_have_text("已撤回")
    expect(page.get_by_role("link", name="撤回业务")).to_have_count(0)


def test_more_sheet_keyboard(phone, live_server):
    page = phone
    sign_in(page, live_server, make_person())
    page.goto("/faq/")
    more = page.get_by_role("button", name="更多")
    more.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="信息修改")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("button", name="收起")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="信息修改")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog", name="更多")).to_be_hidden()
    expect(more).to_be_focused()
    expect(more).to_have_attribute("aria-expanded", "false")
    more.click()
    page.get_by_role("button", name="收起").click()
    expect(page.get_by_role("dialog", name="更多")).to_be_hidden()


PAGES = ["/progress/", "/more/", "/manual/", "/faq/", "/contact/", "/profile/", "/"]


def test_pages_pass_axe_in_both_modes(phone, live_server):
    page = phone
    app = cast.application(State.IN_CORRECTION)
    sign_in(page, live_server, app.applicant)
    for mode in ("standard", "large"):
        if mode == "large":
            page.goto("/faq/")
            page.get_by_role("button", name="切换到长辈模式（大字）").click()
            expect(page.locator("body")).to_have_class("large-text ")
        for path in PAGES + [f"/progress/{app.pk}/"]:
            page.goto(path)
            shot(page, f"more-{mode}-{path.strip('/').replace('/', '-') or 'home'}")
            assert_accessible(page, f"{mode} {path}")
        page.goto("/faq/")
        page.get_by_role("button", name="更多").click()
        expect(page.get_by_role("dialog", name="更多")).to_be_visible()
        shot(page, f"more-{mode}-sheet")
        assert_accessible(page, f"{mode} sheet open")
        page.goto("/progress/")
        page.fill("#id_name", "李四")
        page.get_by_role("button", name="查询").click()
        expect(page.get_by_role("heading", name="未查询到办件信息")).to_be_visible()
        assert_accessible(page, f"{mode} not found")
        page.goto("/progress/")
        page.fill("#id_id_number", "")
        page.get_by_role("button", name="查询").click()
        expect(page.get_by_text("请输入证件号码").first).to_be_visible()
        assert_accessible(page, f"{mode} form error")
        if mode == "large":
            size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('main p, main label')).fontSize)")
            h1 = page.evaluate("parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)")
            tap = page.evaluate("document.querySelector('button.btn-primary').getBoundingClientRect().height")
            assert size >= 18 and h1 >= 22 and tap >= 48, (size, h1, tap)
            page.goto(f"/progress/{app.pk}/")
            shot(page, "progress-large-text")
