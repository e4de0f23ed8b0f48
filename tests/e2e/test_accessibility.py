"""axe-core (WCAG 2.1 A and AA) on every page: each page route of the URL conf, as the person it is for
(anonymous, a signed-in applicant, an employer's staff in 企业上报, a reviewer in 部级审核), in standard and
长辈模式 (large text), plus the error states of the forms; no violation of any impact is allowed. And the
application wizard done with the keyboard only: focus never falls back to the top of the page."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from jianli import testing
from jianli.certificates import services as certificates
from jianli.registrations import calendar
from jianli.registrations.models import Application, Certificate, State
from jianli.testing import cast
from jianli.testing.cast import code, device_for
from tests.e2e.conftest import ARTIFACTS, new_phone_page, shot
from tests.e2e.test_apply import FILL, attach, sign_in_by_face

pytestmark = pytest.mark.e2e
SLOW_MACHINE_MS = 60_000  # these walks are long; a loaded CI machine must not fail them by a timeout


def phone_page(browser, live_server):  # type: ignore[no-untyped-def]
    page = new_phone_page(browser, live_server)
    page.set_default_timeout(SLOW_MACHINE_MS)
    page.set_default_navigation_timeout(SLOW_MACHINE_MS)
    expect.set_options(timeout=SLOW_MACHINE_MS // 2)
    return page

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
              "resultTypes": ["violations"]}
# Not pages: files, JSON, probes, actions that only take a POST, and the Django admin (Django's own).
NOT_PAGES = re.compile(
    r"^/(healthz|readyz|metrics|sms/|api/|ops/admin/)|/(signout|logout|autosave|extend|large-text|avatar)/"
    r"|/pdf/$|/attachments/|\.xlsx$|/(report|return|claim|release|correction|approve|reject|second-look|"
    r"deactivate|reset|reassign|next|bulk|close)/$|\.pdf$"
)


def violations(page) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page, options=WCAG_21_AA).response["violations"]
    return [{"id": v["id"], "impact": v["impact"], "targets": [n["target"] for n in v["nodes"]][:4]} for v in found]


class Audit:
    """Runs axe on each distinct page state once and keeps what it found."""

    def __init__(self) -> None:
        self.found: dict[str, list[dict[str, Any]]] = {}

    def check(self, page, label: str) -> None:  # type: ignore[no-untyped-def]
        if label in self.found:
            return
        page.wait_for_load_state("load")
        self.found[label] = violations(page)

    def report(self) -> tuple[int, str]:
        bad = {k: v for k, v in self.found.items() if v}
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "axe.json").write_text(json.dumps(self.found, ensure_ascii=False, indent=1))
        count = sum(len(v) for v in bad.values())
        return count, "\n".join(f"{k}: {[(x['id'], x['impact'], x['targets'][:2]) for x in v]}" for k, v in bad.items())


def page_routes() -> list[str]:
    def walk(resolver: URLResolver, prefix: str) -> list[str]:
        found = []
        for p in resolver.url_patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                found += walk(p, route)
            elif isinstance(p, URLPattern):
                found.append("/" + route.replace("^", "").replace("$", ""))
        return found

    return [r for r in walk(get_resolver(), "") if not NOT_PAGES.search(r)]


def fill_route(route: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        route = route.replace(key, value)
    return re.sub(r"<[a-z_:]+>", "x", route)


def set_mode(page, large: bool) -> None:  # type: ignore[no-untyped-def]
    """长辈模式 on or off for this browser's session, as the footer's switch does."""
    page.wait_for_load_state()
    page.wait_for_selector("[name=csrfmiddlewaretoken]", state="attached")  # the footer's switch, once loaded
    page.evaluate(
        """(on) => fetch('/large-text/', {method: 'POST', credentials: 'same-origin', redirect: 'manual',
            headers: {'Content-Type': 'application/x-www-form-urlencoded'},
            body: 'large_text=' + (on ? '1' : '0') + '&csrfmiddlewaretoken=' +
                  encodeURIComponent(document.querySelector('[name=csrfmiddlewaretoken]').value)})""",
        large,
    )


def staff_sign_in(page, console: str, user: User, uscc: str = "") -> None:  # type: ignore[no-untyped-def]
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or device_for(user)
    page.goto(f"/{console}/login/")
    if uscc:
        page.fill("#id_uscc", uscc)
    page.fill("#id_username", user.username.split("/")[-1])
    page.fill("#id_password", cast.PASSWORD)
    page.fill("#id_token", code(device))
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".staff-nav")).to_be_visible()


# The walk checks markup, which no database changes: it runs once, in CI's SQLite pass.
@pytest.mark.skipif(connection.vendor == "postgresql", reason="markup only: runs in the SQLite pass")
def test_every_page_passes_axe_in_both_modes(browser, live_server, transactional_db, tmp_path):
    calendar.load_all()
    emp = cast.employer(0, "北京华建工程监理有限公司")
    staff = cast.staff(emp, "jingban", is_admin=True)
    cast.staff(emp, "second")
    reviewer = cast.reviewer("shencha", "审查", "复核")
    holder = cast.applicant(name="李四", sequence=34, photo=testing.astronaut())
    registration = cast.registration(holder, emp, valid_until=dt.date.today() + dt.timedelta(days=400))
    certificate = Certificate.objects.get(registration=registration)
    token = certificates.electronic_for(certificate).token
    in_correction = cast.application(State.IN_CORRECTION, holder, business_type="change")
    waiting = cast.submitted(cast.applicant(56, "赵六"), emp)
    in_review = cast.in_review(cast.submitted(cast.applicant(78, "钱七"), emp), staff, reviewer)
    audit = Audit()
    routes = page_routes()

    def walk(page, who: str, mode: str, values: dict[str, str], prefixes: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
        for route in routes:
            if not route.startswith(prefixes) or (prefixes == ("/",) and route.startswith(("/office/", "/review/", "/ops/"))):
                continue
            try:
                response = page.goto(fill_route(route, values))
            except PlaywrightError:  # an action that answers GET with an empty 405: not a page
                page.goto("about:blank")
                continue
            if response is None or not response.headers.get("content-type", "").startswith("text/html"):
                continue
            audit.check(page, f"{mode} {who} {page.url.removeprefix(live_server.url)}")

    for mode in ("standard", "large"):
        large = mode == "large"
        # Anonymous: the way in and the public pages.
        page = phone_page(browser, live_server)
        page.goto("/welcome/")
        set_mode(page, large)
        walk(page, "anonymous", mode, {"<str:token>": token, "<str:business_type>": "initial"}, ("/",))
        page.goto("/api/docs")
        audit.check(page, f"{mode} anonymous /api/docs")
        for form in ("/check/", "/register/", "/ops/login/"):
            page.goto(form)
            buttons = page.locator("main form button[type=submit]")
            if buttons.count():
                buttons.last.click()
                audit.check(page, f"{mode} anonymous {form} errors")
        page.context.close()

        # The holder of a registration: certificates, 补正, refusals, progress.
        page = phone_page(browser, live_server)
        sign_in_by_face(page, holder, "change")
        set_mode(page, large)
        values = {"<int:pk>": str(in_correction.pk), "<str:token>": token, "<str:business_type>": "renewal",
                  "<int:application_id>": str(in_correction.pk)}
        walk(page, "holder", mode, values, ("/",))
        page.goto(f"/apply/correction/{in_correction.pk}/")
        audit.check(page, f"{mode} holder correction")
        page.goto("/progress/")
        page.fill("#id_id_number", "")
        page.get_by_role("button", name="查询").click()
        audit.check(page, f"{mode} holder progress errors")
        page.goto("/profile/")
        shot(page, f"a11y-{mode}-profile")
        page.context.close()

        # An applicant through the wizard, with each error state, to the receipt.
        drafter = cast.applicant(name=f"王建国{mode[0]}", sequence=12 if large else 23, photo=testing.astronaut())
        cast.qualification(drafter, certificate_number=f"JL2024{drafter.pk:09d}")
        page = phone_page(browser, live_server)
        sign_in_by_face(page, drafter, "initial")
        set_mode(page, large)
        page.reload()
        audit.check(page, f"{mode} wizard notice")
        page.get_by_role("button", name="下一步").click()
        audit.check(page, f"{mode} wizard notice errors")
        page.check("#check-all")
        page.get_by_role("button", name="下一步").click()
        audit.check(page, f"{mode} wizard info")
        page.get_by_role("button", name="下一步").click()
        audit.check(page, f"{mode} wizard info errors")
        texts, selects, checks, slots = FILL["initial"]
        page.fill("#id_employer", emp.uscc)
        for selector, value in texts:
            page.fill(selector, f"JL2024{drafter.pk:09d}" if selector == "#id_qualification_number" else value)
        for selector, value in selects.items():
            page.select_option(selector, value)
        for check in checks:
            page.check(f"#{check}")
        for slot in slots:
            attach(page, tmp_path, slot)
        page.get_by_role("button", name="下一步").click()
        audit.check(page, f"{mode} wizard summary")
        page.get_by_role("button", name="提交申请").click()
        audit.check(page, f"{mode} wizard summary errors")
        page.check("#id_commitment")
        page.get_by_role("button", name="提交申请").click()
        expect(page.get_by_role("heading", name="申请已提交")).to_be_visible()
        audit.check(page, f"{mode} wizard receipt")
        submitted = Application.objects.get(applicant=drafter)
        page.goto(f"/progress/{submitted.pk}/")
        audit.check(page, f"{mode} progress awaiting employer")
        page.goto(f"/progress/{submitted.pk}/withdraw/")
        audit.check(page, f"{mode} progress withdraw")
        page.context.close()

        # The employer's console (企业上报).
        page = phone_page(browser, live_server)
        page.goto("/office/login/")
        set_mode(page, large)
        page.get_by_role("button", name="登录").click()
        audit.check(page, f"{mode} office login errors")
        staff_sign_in(page, "office", staff.user, emp.uscc)
        walk(page, "office", mode, {"<str:number>": waiting.number, "<int:pk>": str(staff.pk)}, ("/office/",))
        page.goto(f"/office/applications/{waiting.number}/")
        page.get_by_role("button", name="退回", exact=True).click()
        expect(page.locator("#reason-error")).to_be_visible()
        audit.check(page, f"{mode} office return errors")
        page.context.close()

        # The ministry's console (部级审核).
        page = phone_page(browser, live_server)
        page.goto("/review/login/")
        set_mode(page, large)
        staff_sign_in(page, "review", reviewer)
        walk(page, "review", mode, {"<str:number>": in_review.number}, ("/review/",))
        page.goto("/review/audit/")
        page.fill("#id_id_number", "1")
        page.get_by_role("button", name="查询").click()
        expect(page.locator("#id-error")).to_be_visible()
        audit.check(page, f"{mode} review audit errors")
        page.context.close()

    count, text = audit.report()
    print(f"axe: {len(audit.found)} page states, {count} violations")
    assert count == 0, text


class Keyboard:
    """Keys only, as a person without a mouse would; after every key the focus is somewhere on the page (never
    back on the body, the top of the page), and a key that should not load a page does not."""

    def __init__(self, page) -> None:  # type: ignore[no-untyped-def]
        self.page = page
        self.mark()

    def mark(self) -> None:
        self.page.evaluate("window.__samePage = true")

    def same_page(self) -> bool:
        return bool(self.page.evaluate("window.__samePage === true"))

    def focused(self, selector: str) -> bool:
        return bool(self.page.evaluate("s => document.activeElement.matches(s)", selector))

    def assert_focus_kept(self, after: str) -> None:
        where = self.page.evaluate("document.activeElement === document.body ? 'body' : document.activeElement.outerHTML.slice(0, 120)")
        assert where != "body", f"focus fell to the top of the page after {after}"

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.assert_focus_kept(key)
        assert self.same_page(), f"{key} loaded a page"

    def tab_to(self, selector: str, limit: int = 120) -> None:
        for _ in range(limit):
            if self.focused(selector):
                return
            self.press("Tab")
        raise AssertionError(f"Tab never reached {selector}")

    def type(self, text: str) -> None:
        for ch in text:
            self.press(ch)

    def date(self, iso: str) -> None:
        """A date typed into the browser's date field: Debian's headless Chromium lays it out month/day/year,
        and each two-digit part moves on to the next by itself."""
        year, month, day = iso.split("-")
        self.type(month + day + year)

    def submit(self, key: str = "Enter") -> None:
        """A key that sends the form: a new page loads; what it focuses (an error summary) is its own."""
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        self.page.wait_for_load_state("load")
        self.mark()


def test_the_wizard_with_the_keyboard_only(browser, live_server, transactional_db, tmp_path):
    from tests.e2e.test_progress_states import sign_in

    emp = cast.employer(0, "北京华建工程监理有限公司")
    person = cast.applicant(photo=testing.astronaut())
    cast.qualification(person, certificate_number="JL2024110100031")
    page = phone_page(browser, live_server)
    page.set_viewport_size({"width": 375, "height": 667})
    # Playwright asks the browser to intercept file choosers when the first listener is added and to stop
    # when the last is removed, without waiting for the browser's answer: a key pressed right after
    # expect_file_chooser() can race that switch and open a chooser no one sees. One listener kept for the
    # whole test keeps the interception on from before the first page.
    page.on("filechooser", lambda chooser: None)
    sign_in(page, live_server, person)
    page.goto("/apply/initial/")
    keys = Keyboard(page)

    # 申报须知: 下一步 without confirming puts the focus on the error summary; 全选 with the space bar.
    keys.tab_to("button[type=submit]")
    keys.submit()
    assert keys.focused(".error-summary"), "the error summary did not take the focus"
    expect(page).to_have_title(re.compile("^错误：申报须知"))
    shot(page, "keyboard-1-notice-error")
    keys.press("Tab")
    assert keys.focused(".error-summary a")
    keys.press("Enter")
    assert keys.focused("#condition-0"), "the summary's link did not take the focus to the first condition"
    keys.tab_to("#check-all")
    keys.press("Space")
    expect(page.locator("[data-condition]:not(:checked)")).to_have_count(0)
    keys.tab_to("button[type=submit]")
    shot(page, "keyboard-1-notice")
    keys.submit()

    # 申报信息: every field typed, chosen with arrows or ticked with the space bar; nothing reloads the page.
    expect(page.get_by_role("heading", name="资格信息")).to_be_visible()
    # 资格信息 comes from the roster, read-only: nothing to tab to.
    expect(page.locator("#id_qualification_date")).to_have_text("2024-10-20")
    expect(page.locator("#id_ce_compulsory_hours")).to_have_count(0)
    keys.tab_to("#specialties-1")
    keys.press("Space")
    keys.tab_to("#id_employer")
    keys.type(emp.uscc)
    keys.tab_to("#id_school")
    keys.type("Tongji")
    keys.tab_to("#id_major")
    keys.type("Civil")
    keys.tab_to("#id_degree")
    keys.press("ArrowDown")
    keys.press("ArrowDown")
    keys.tab_to("#id_graduation_date")
    keys.date("2007-07-01")
    keys.tab_to("#id_title")
    for _ in range(3):  # 职称 with the arrow keys: the page stays, the focus stays on the list
        keys.press("ArrowDown")
        assert keys.focused("#id_title")
    expect(page.locator("#id_title_certificate_number")).to_be_visible()  # asked for once a 职称 is chosen
    expect(page.locator("#form-changes")).to_contain_text("职称证书编号")
    keys.tab_to("#id_work_history-0-start")
    keys.date("2007-08-01")
    keys.tab_to("#id_work_history-0-employer")
    keys.type("Huajian")
    keys.tab_to("#id_work_history-0-position")
    keys.type("Supervisor")
    keys.tab_to("button[value='add_row:work_history']")
    keys.press("Enter")  # 添加一条: a second row, the focus in it
    expect(page.locator("#id_work_history-1-start")).to_be_focused()
    keys.assert_focus_kept("添加一条")
    keys.tab_to("#id_projects-0-name")
    keys.type("Chaoyang")
    keys.tab_to("#id_projects-0-role")
    keys.type("Engineer")
    keys.tab_to("#id_projects-0-year")
    keys.type("2020")
    for slot in ("id_card", "qualification_certificate", "labour_contract"):
        keys.tab_to(f"#id_{slot}")
        path = tmp_path / f"{slot}.pdf"
        path.write_bytes(testing.pdf_bytes())
        with page.expect_file_chooser() as chooser:
            page.keyboard.press("Space")
        chooser.value.set_files(str(path))
        keys.assert_focus_kept("choosing a file")
    shot(page, "keyboard-2-info")
    keys.tab_to("button[value=next]")
    keys.submit()

    # 申报告知: 提交申请 without the commitment focuses the summary; then the space bar and Enter.
    expect(page.get_by_role("heading", name="请核对申报信息")).to_be_visible()
    keys.tab_to("button[data-once]")
    keys.submit()
    assert keys.focused(".error-summary")
    expect(page).to_have_title(re.compile("^错误：申报告知"))
    shot(page, "keyboard-3-summary-error")
    keys.tab_to("#id_commitment")
    keys.press("Space")
    keys.tab_to("button[data-once]")
    shot(page, "keyboard-3-summary")
    keys.submit()
    expect(page.get_by_role("heading", name="申请已提交")).to_be_visible()
    assert Application.objects.get(applicant=person).state == State.AWAITING_EMPLOYER
    shot(page, "keyboard-4-receipt")
