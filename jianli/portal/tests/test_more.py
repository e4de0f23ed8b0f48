"""更多 menu, 操作手册, 常见问题, 联系电话 and the 长辈模式 switch."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from jianli.accounts.models import Profile
from jianli.help import FAQ, MANUAL
from jianli.portal.tests.test_progress import make_person, signed_in

pytestmark = pytest.mark.django_db

MENU = ["信息修改", "进度查询", "操作手册", "常见问题", "联系电话"]


def test_more_page_works_without_javascript():
    page = Client().get("/more/?next=/faq/").content.decode()
    for label in MENU + ["收起"]:
        assert label in page
    assert 'href="/faq/"' in page


def test_more_button_is_on_the_home_page_for_signed_in_applicants_only():
    me = make_person()
    page = signed_in(me).get("/").content.decode()
    assert 'id="more-button"' in page and 'href="/more/?next=/"' in page and "收起" in page
    assert 'aria-controls="more-sheet"' in page and "js/more.js" in page
    visitor = Client()
    visitor.post("/welcome/", {"nickname": "小李"})
    assert 'id="more-button"' not in visitor.get("/").content.decode()


def test_menu_items_are_in_the_seed_order():
    page = signed_in(make_person()).get("/").content.decode()
    sheet = page[page.index('id="more-sheet"'):]
    positions = [sheet.index(f">{label}<") for label in MENU + ["收起"]]
    assert positions == sorted(positions)


def test_manual_covers_every_step_with_a_picture():
    page = Client().get("/manual/").content.decode()
    assert "操作手册" in page
    for section in MANUAL:
        assert section.title in page
        assert section.image.endswith(".png")
    for word in ["头像", "在线办理", "用户注册", "人脸识别", "申报须知", "进度查询", "撤回业务", "补正", "信息修改", "长辈模式"]:
        assert word in page, word


def test_faq_has_at_least_twelve_answered_questions():
    page = Client().get("/faq/").content.decode()
    assert len(FAQ) >= 12
    assert page.count("<details") == len(FAQ)
    for q, a in FAQ:
        assert q in page and a in page
    assert "30日前" in page and "65周岁" in page and "服务窗口" in page


def test_contacts_are_tel_links_in_the_configured_order(settings):
    settings.JIANLI_CONTACTS = [["乙中心", "010-1234 5678", "工作日 9:00-17:00"], ["甲热线", "12345", ""]]
    page = Client().get("/contact/").content.decode()
    assert 'href="tel:010-12345678"' not in page
    assert 'href="tel:01012345678"' in page and 'href="tel:12345"' in page
    assert page.index("乙中心") < page.index("甲热线")
    assert "服务时间：工作日 9:00-17:00" in page


def test_default_contacts_render():
    page = Client().get("/contact/").content.decode()
    assert len(re.findall(r'href="tel:\d+"', page)) >= 2


def test_large_text_switch_is_kept_in_session_and_profile():
    me = make_person()
    client = signed_in(me)
    page = client.get("/faq/").content.decode()
    assert "切换到长辈模式" in page and 'class="large-text' not in page
    response = client.post("/large-text/", {"large_text": "1", "next": "/faq/"})
    assert response.status_code == 302 and response["Location"] == "/faq/"
    page = client.get("/faq/").content.decode()
    assert 'class="large-text' in page and "切换到标准模式" in page
    assert Profile.objects.get(applicant=me).large_text is True
    # A new session of the same person picks the choice up from the profile.
    assert 'class="large-text' in signed_in(me).get("/progress/").content.decode()
    client.post("/large-text/", {"large_text": "0", "next": "//evil.example/"})
    assert Profile.objects.get(applicant=me).large_text is False


def test_switch_is_on_pages_of_other_parts_too():
    page = Client().get("/welcome/").content.decode()
    assert "切换到长辈模式" in page


def test_elder_banner_is_offered_at_sixty_and_not_after_a_choice():
    today = dt.date.today()
    old = make_person("老张", 12, "13800000001", born=today.replace(year=today.year - 61))
    young = make_person("小张", 14, "13800000002", born=today.replace(year=today.year - 30))
    assert "试试长辈模式" not in signed_in(young).get("/").content.decode()
    client = signed_in(old)
    assert "试试长辈模式" in client.get("/").content.decode()
    client.post("/large-text/", {"large_text": "0", "next": "/"})
    assert "试试长辈模式" not in client.get("/").content.decode()


def test_large_text_css_meets_the_minimum_sizes():
    from pathlib import Path

    css = (Path(__file__).resolve().parents[3] / "static/css/jianli.css").read_text()
    rule = css[css.rindex("body.large-text { --fs"):]
    fs = int(re.search(r"--fs: (\d+)px", rule).group(1))
    h1 = int(re.search(r"--fs-h1: (\d+)px", rule).group(1))
    tap = int(re.search(r"--tap: (\d+)px", rule).group(1))
    assert fs >= 18 and h1 >= 22 and tap >= 48
    assert "body.large-text h2, body.large-text h3" in rule
