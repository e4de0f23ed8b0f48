"""An idle applicant is warned before the session ends, can extend it, and is signed out when it ends."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from jianli.testing import cast
from tests.e2e.test_apply import sign_in_by_face

pytestmark = pytest.mark.e2e


def test_idle_warning_extend_and_sign_out(phone, settings):
    settings.SESSION_COOKIE_AGE = 8  # the warning shows in the last half of the idle time
    applicant = cast.applicant()
    cast.qualification(applicant)
    page = phone
    sign_in_by_face(page, applicant, "initial")
    warning = page.get_by_role("alertdialog")
    expect(warning).to_be_visible(timeout=9000)
    expect(warning).to_contain_text("即将退出登录")
    page.get_by_role("button", name="继续办理（延长登录）").click()
    expect(warning).to_be_hidden()
    page.reload()
    expect(page.get_by_text("注册须知")).to_be_visible()
    page.wait_for_url("**/signed-out/", timeout=15000)
    expect(page.get_by_role("heading", name="您已退出登录")).to_be_visible()
    page.goto("/apply/initial/")
    assert "/apply/" not in page.url.split("?")[0]  # signed out: the wizard asks who you are again
