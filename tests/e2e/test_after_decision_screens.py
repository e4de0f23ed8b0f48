"""Issue 17 items 3–5 in a browser: the 统计分析 dashboard at 1366×900 (SVG charts under the CSP: no violation
reported), the 好差评 page of the review console, and a decision PDF rendered with pdftoppm. The pictures go to
docs/ (docs/review/, docs/documents/) for the manual and for review."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone

from jianli.ratings import services as ratings
from jianli.registrations.models import Application, ApplicationEvent, BusinessType, State
from jianli.testing import cast
from jianli.testing.cast import code, device_for
from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e
# The committed pictures are rewritten only when asked (JIANLI_SCREENSHOTS=1); else they go to artifacts/.
DOCS = (Path(__file__).resolve().parents[2] / "docs" if os.environ.get("JIANLI_SCREENSHOTS")
        else ARTIFACTS / "docs")


def seed_year() -> None:
    """A year of applications of every type and outcome, by two employers, with ratings (deterministic)."""
    employers = [cast.employer(1, "北京华建工程监理有限公司"), cast.employer(2, "上海申诚建设咨询有限公司")]
    kinds = list(BusinessType)
    outcomes = [State.APPROVED] * 6 + [State.REJECTED, State.WITHDRAWN, State.IN_REVIEW, State.AWAITING_REVIEW,
                                       State.IN_CORRECTION, State.AWAITING_EMPLOYER]
    now = timezone.now()
    n = 0
    for month in range(12):
        for k in range(4 + (month * 7) % 9):
            n += 1
            person = cast.applicant(10 + 2 * n, f"申请人{n}")
            submitted = now - dt.timedelta(days=365 - month * 30 - k)
            state = outcomes[(n * 5) % len(outcomes)]
            reported = None if state == State.AWAITING_EMPLOYER else submitted + dt.timedelta(days=1)
            decided = reported + dt.timedelta(hours=24 * (2 + n % 13)) if state in (State.APPROVED, State.REJECTED) else None
            app = Application.objects.create(
                number=f"JL2026SEED{n:05d}", applicant=person, employer=employers[n % 2], business_type=kinds[n % 5],
                state=state, submitted_at=submitted, reported_at=reported, decided_at=decided,
                deadline=(timezone.localdate(reported) + dt.timedelta(days=28)) if reported else None,
            )
            if n % 4 == 0 and reported:
                ApplicationEvent.objects.create(application=app, action="request_correction", actor_kind="reviewer",
                                                from_state=State.IN_REVIEW, to_state=State.IN_CORRECTION)
            if state in (State.APPROVED, State.REJECTED, State.WITHDRAWN) and n % 3:
                level = [5, 5, 4, 5, 3, 4, 5, 2, 5, 1][n % 10]
                ratings.rating_give(application_id=app.pk, applicant=person, level=level,
                                    comment="等待时间较长，告知不清楚" if level <= 2 else "")


def test_dashboard_and_ratings_pages_at_1366(browser, live_server, transactional_db) -> None:  # type: ignore[no-untyped-def]
    seed_year()
    reviewer = cast.reviewer("shencha")
    device = device_for(reviewer)
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN", base_url=live_server.url)
    page = context.new_page()
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto("/review/login/")
    page.fill("#id_username", "shencha")
    page.fill("#id_password", cast.PASSWORD)
    page.fill("#id_token", code(device))
    page.get_by_role("button", name="登录").click()
    page.goto("/review/stats/")
    page.get_by_role("heading", name="统计分析").wait_for()
    assert page.locator("svg.chart").count() == 4
    assert page.locator("svg.chart rect").count() > 12
    (DOCS / "review").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / "review" / "stats-dashboard.png"), full_page=True)
    page.fill("#id_employer", "华建")
    page.get_by_role("button", name="筛选").click()
    page.get_by_role("heading", name="统计分析").wait_for()
    page.goto("/review/ratings/")
    page.get_by_role("heading", name="待整改的差评（", exact=False).wait_for()
    page.screenshot(path=str(DOCS / "review" / "ratings.png"), full_page=True)
    assert violations == []
    context.close()


def test_decision_pdf_picture(transactional_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    from jianli.documents.models import Document, Kind

    # pyhanko signs in its own event loop: a thread keeps it apart from Playwright's (as the live server's does)
    with ThreadPoolExecutor(1) as pool:
        app, other = pool.submit(_decide_two).result()
    connection.close()
    (DOCS / "documents").mkdir(parents=True, exist_ok=True)
    for application, kind, name in [(app, Kind.REJECTION, "rejection"), (other, Kind.APPROVAL, "approval")]:
        source = tmp_path / f"{name}.pdf"
        source.write_bytes(Document.objects.get(application=application, kind=kind).read_pdf())
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-singlefile", str(source), str(DOCS / "documents" / name)],
                       check=True)
    assert (DOCS / "documents" / "rejection.png").stat().st_size > 10_000


def _decide_two():  # type: ignore[no-untyped-def]
    from django.db import connection

    from jianli.registrations import services

    emp = cast.employer(1, "北京华建工程监理有限公司")
    staff, reviewer, approver = cast.staff(emp), cast.reviewer(), cast.reviewer("fuhe", "复核")
    app = cast.submitted(cast.applicant(12, "王建国"), emp)
    cast.in_review(app, staff, reviewer)
    services.application_rejection_propose(application_id=app.pk, user=reviewer, reason="continuing_education",
                                 comment="本注册周期内继续教育必修课学时为24学时，未达到48学时的要求。")
    services.application_rejection_confirm(application_id=app.pk, user=approver)
    other = cast.submitted(cast.applicant(14, "李建华"), emp)
    cast.in_review(other, staff, reviewer)
    services.application_approve(application_id=other.pk, user=reviewer)
    connection.close()
    return app, other


def test_applicant_downloads_the_decision_and_rates_on_a_phone(browser, live_server, transactional_db) -> None:  # type: ignore[no-untyped-def]
    """375×667: the progress page of an approved application lists its documents; a 差评 without a reason is
    refused at the field with what was chosen kept; with a reason it is saved and shown, changeable."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    from tests.e2e.test_progress_states import sign_in

    def approved():  # type: ignore[no-untyped-def]
        from jianli.registrations import services

        emp = cast.employer(1, "北京华建工程监理有限公司")
        person = cast.applicant(name="王建国")
        app = cast.submitted(person, emp)
        reviewer = cast.reviewer()
        cast.in_review(app, cast.staff(emp), reviewer)
        services.application_approve(application_id=app.pk, user=reviewer)
        connection.close()
        return person, app

    with ThreadPoolExecutor(1) as pool:  # pyhanko's event loop apart from Playwright's
        person, app = pool.submit(approved).result()
    context = browser.new_context(viewport={"width": 375, "height": 667}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, locale="zh-CN", base_url=live_server.url)
    page = context.new_page()
    sign_in(page, live_server, person)
    page.goto(f"/progress/{app.pk}/")
    page.get_by_role("heading", name="办理文书").wait_for()
    with page.expect_download() as download:
        page.get_by_role("link", name="准予注册决定书", exact=False).click()
    assert download.value.suggested_filename.startswith("准予注册决定书")
    (DOCS / "portal").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / "portal" / "progress-documents-rating.png"), full_page=True)
    page.get_by_role("link", name="评价本次服务").click()
    page.get_by_label("不满意", exact=True).check()
    page.get_by_role("button", name="提交评价").click()
    page.get_by_text("请写明不满意的原因").first.wait_for()
    assert page.get_by_label("不满意", exact=True).is_checked()
    page.screenshot(path=str(DOCS / "portal" / "rating-error.png"), full_page=True)
    page.fill("#id_comment", "补正告知书写得不够清楚，多跑了一次")
    page.get_by_role("button", name="提交评价").click()
    page.get_by_text("您的评价：").wait_for()
    page.get_by_role("link", name="修改评价").wait_for()
    context.close()
