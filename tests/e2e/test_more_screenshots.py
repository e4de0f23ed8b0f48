"""The pictures of 操作手册 (static/manual/*.png), taken from the running service with demo data only (the cat
as avatar, no person's photo on screen, the fake face provider). Runs only under `make screenshots`."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from jianli import testing
from jianli.help import MANUAL
from jianli.portal.tests.test_progress import NAME, make_person
from jianli.registrations.models import Qualification, State
from jianli.testing import cast
from tests.e2e.test_progress_states import sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not os.environ.get("JIANLI_SCREENSHOTS"), reason="run by `make screenshots`"),
]

OUT = Path(__file__).resolve().parents[2] / "static" / "manual"


def save(page, name: str) -> None:  # type: ignore[no-untyped-def]
    OUT.mkdir(exist_ok=True)
    # The viewport, not the full page: a phone screen is what the reader will compare with.
    page.screenshot(path=str(OUT / f"{name}.png"))


def test_manual_screenshots(phone, live_server, tmp_path):
    page = phone
    page.goto("/")
    avatar = tmp_path / "cat.jpg"
    avatar.write_bytes(testing.cat())
    page.set_input_files("#id_avatar", str(avatar))
    page.fill("#id_nickname", "小李")
    save(page, "01-first-use")
    page.get_by_role("button", name="保存").click()
    page.get_by_role("link", name="监理工程师").click()
    save(page, "02-catalogue")
    page.get_by_role("link", name="监理工程师执业资格认定（初始注册）").click()
    page.get_by_role("link", name="在线办理").click()
    page.fill("#id_name", "张三")
    page.fill("#id_id_number", testing.id_number())
    save(page, "03-check")
    page.get_by_role("button", name="确定").click()
    page.get_by_role("alertdialog").get_by_role("link", name="确定").click()
    page.fill("#id_mobile", "13912345678")
    page.get_by_role("button", name="获取验证码").click()
    code = page.locator("#demo-sms-code").inner_text()
    page.fill("#id_sms_code", code)
    save(page, "04-register")
    photo = tmp_path / "me.jpg"
    photo.write_bytes(testing.astronaut())  # uploaded, never shown on screen
    page.set_input_files("#id_id_photo", str(photo))
    page.get_by_role("button", name="注册").click()
    expect(page.get_by_text("人脸识别功能验证你的身份信息，请确保为本人操作")).to_be_visible()
    save(page, "05-face")

    # From here on, people made through the workflow, signed in as after the face check.
    fresh = make_person("赵敏", 24, mobile="13800000024")
    Qualification.objects.create(
        certificate_number="JL2025000024", name=fresh.name, id_hash=fresh.id_hash, category="土木建筑工程",
        obtained_on=dt.date.today() - dt.timedelta(days=200),
    )
    sign_in(page, live_server, fresh)
    page.goto("/apply/initial/")
    save(page, "06-apply")
    if page.locator("#more-button").count() == 0:
        page.goto("/progress/")
    page.get_by_role("button", name="更多").click()
    expect(page.get_by_role("dialog", name="更多")).to_be_visible()
    save(page, "07-more")

    app = cast.application(State.AWAITING_REVIEW, make_person(NAME, 20))
    sign_in(page, live_server, app.applicant)
    page.goto("/")
    page.get_by_role("button", name="更多").click()
    page.get_by_role("dialog", name="更多").get_by_role("link", name="进度查询").click()
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("heading", name="监理工程师执业资格认定")).to_be_visible()
    save(page, "08-progress")
    page.get_by_role("link", name="撤回业务").click()
    save(page, "10-withdraw")
    page.goto("/profile/")
    save(page, "11-profile")

    fixing = cast.application(
        State.IN_CORRECTION, make_person("李明", 22, mobile="13800000022")
    )
    sign_in(page, live_server, fixing.applicant)
    page.goto(f"/progress/{fixing.pk}/")
    page.locator(".reason").scroll_into_view_if_needed()
    save(page, "09-correction")
    page.goto("/progress/")
    page.get_by_role("button", name="切换到长辈模式（大字）").click()
    expect(page.locator("body")).to_have_class(re.compile("large-text"))
    save(page, "12-large-text")

    assert {Path(s.image).name for s in MANUAL} <= {p.name for p in OUT.glob("*.png")}
