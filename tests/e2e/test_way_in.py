"""First use → catalogue → 在线办理 → check (not found) → 用户注册 → 人脸识别 (fake) → signed in, at 390×844."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from jianli import testing
from jianli.accounts.models import Applicant
from tests.e2e.conftest import shot

pytestmark = pytest.mark.e2e


def test_new_applicant_walks_the_first_half_of_the_seed(phone, tmp_path):
    page = phone
    page.goto("/")
    expect(page.get_by_text("首次使用，请先设置“头像”和“昵称”。")).to_be_visible()
    avatar = tmp_path / "avatar.jpg"
    avatar.write_bytes(testing.cat())
    page.set_input_files("#id_avatar", str(avatar))
    page.fill("#id_nickname", "小李")
    shot(page, "01-first-use")
    page.get_by_role("button", name="保存").click()

    page.get_by_role("link", name="监理工程师").click()
    shot(page, "02-catalogue")
    page.get_by_role("link", name="监理工程师执业资格认定（初始注册）").click()
    expect(page.get_by_text("事项编码: 11100000000013338W1000117040000")).to_be_visible()
    shot(page, "03-item")
    page.get_by_role("link", name="在线办理").click()

    page.fill("#id_name", "张三")
    page.fill("#id_id_number", "1101011985")
    page.get_by_role("button", name="确定").click()
    expect(page.locator("#id_id_number").locator("xpath=..").get_by_text("身份证号码应为18位")).to_be_visible()
    expect(page.locator("#id_name")).to_have_value("张三")
    page.fill("#id_id_number", testing.id_number())
    page.get_by_role("button", name="确定").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("未查询到该用户，是否前往注册？")
    shot(page, "04-not-found")
    dialog.get_by_role("link", name="确定").click()

    expect(page.get_by_role("heading", name="用户注册")).to_be_visible()
    expect(page.locator("#id_name")).to_have_value("张三")
    page.fill("#id_mobile", "13912345678")
    page.get_by_role("button", name="获取验证码").click()
    code = page.locator("#demo-sms-code").inner_text()
    assert re.fullmatch(r"\d{6}", code)
    page.fill("#id_sms_code", code)
    photo = tmp_path / "me.jpg"
    photo.write_bytes(testing.astronaut())
    page.set_input_files("#id_id_photo", str(photo))
    shot(page, "05-register")
    page.get_by_role("button", name="注册").click()

    expect(page.get_by_text("人脸识别功能验证你的身份信息，请确保为本人操作")).to_be_visible()
    shot(page, "06-face")
    page.get_by_role("button", name="下一步").click()
    # The summary names the problem and leads to the checkbox; the message also stands at the checkbox.
    expect(page.get_by_role("link", name="请阅读并勾选授权项后再进行人脸识别")).to_be_visible()
    expect(page.locator("#consent-error")).to_contain_text("请阅读并勾选授权项后再进行人脸识别")
    page.check("#id_consent")
    page.get_by_role("button", name="下一步").click()
    page.get_by_role("button", name="模拟识别通过").click()
    expect(page.get_by_role("heading", name="已通过")).to_be_visible()
    shot(page, "07-passed")
    page.get_by_role("link", name="继续办理").click()
    expect(page.get_by_text("监理工程师执业资格认定(初始注册)")).to_be_visible()
    assert Applicant.objects.count() == 1
