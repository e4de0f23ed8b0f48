"""What every page shares: Chinese only (whatever language the browser asks for), one 错误： in the title of a page
with errors, an error summary that takes the focus, a group's error tied to the group."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from jianli import testing
from jianli.testing import cast

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def title(response) -> str:  # type: ignore[no-untyped-def]
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)  # type: ignore[union-attr]


@pytest.mark.parametrize("path", ["/welcome/", "/faq/", "/engineers/", "/office/login/", "/review/login/", "/api/docs"])
def test_an_english_browser_still_gets_chinese_and_is_told_so(path):
    response = Client().get(path, **ENGLISH)
    assert response.status_code == 200
    assert response["Content-Language"] == "zh-Hans"
    assert '<html lang="zh-Hans"' in response.content.decode()


def test_no_language_but_chinese_is_claimed(settings):
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans"]
    assert "django.middleware.locale.LocaleMiddleware" not in settings.MIDDLEWARE


def signed_in_with_draft() -> Client:
    person = cast.applicant(photo=testing.astronaut())
    cast.qualification(person)
    client = Client()
    cast.sign_in(client, person)
    client.post("/apply/initial/", {"all": "on"})
    return client


def test_each_wizard_error_page_has_one_error_prefix_and_a_summary_that_takes_the_focus():
    client = signed_in_with_draft()
    for path, data in [("/apply/initial/", {}), ("/apply/initial/info/", {"action": "next"}),
                       ("/apply/initial/summary/", {})]:
        response = client.post(path, data)
        assert response.status_code == 422, path
        assert title(response).startswith("错误：") and "错误：错误：" not in title(response), (path, title(response))
        body = response.content.decode()
        assert re.search(r'class="error-summary" role="alert" tabindex="-1" data-focus', body), path


def test_the_specialties_error_is_tied_to_its_group():
    client = signed_in_with_draft()
    body = client.post("/apply/initial/info/", {"action": "next"}).content.decode()
    group = re.search(r'<fieldset[^>]*id="id_specialties"[^>]*>', body)
    assert group and 'aria-describedby="' in group.group(0), body[:200]
    described = re.search(r'aria-describedby="([^"]+)"', group.group(0)).group(1).split()  # type: ignore[union-attr]
    assert "specialties-error" in described
    assert re.search(r'<p class="error-message" id="specialties-error">', body)


def test_the_consent_error_has_a_summary_that_takes_the_focus():
    person = cast.applicant(photo=testing.astronaut())
    client = Client()
    client.post("/welcome/", {"nickname": "小张"})
    client.post("/check/", {"name": person.name, "id_number": person.id_number})
    response = client.post("/face/", {"step": "consent"})
    body = response.content.decode()
    assert 'data-focus' in body and 'href="#id_consent"' in body, body[:3000]
    assert title(response).startswith("错误：")


def test_check_answers_read_dates_back_as_the_tables_do():
    client = signed_in_with_draft()
    client.post("/apply/initial/info/", {"action": "refresh", "qualification_date": "2024-10-20",
                                         "work_history-count": "1", "work_history-0-start": "2007-08-01"})
    body = client.get("/apply/initial/summary/").content.decode()
    assert "2024/10/20" in body and "开始年月：2007/08/01" in body
    assert "2024-10-20" not in body
