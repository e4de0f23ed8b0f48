"""用户注册 is not a way to learn who is registered: the same answer for a registered and an unknown ID number
until the SMS code is verified, a neutral message after, and attempts limited per address and per ID number."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jianli import testing
from jianli.accounts import services
from jianli.accounts.models import Applicant, Profile
from jianli.api import credentials
from jianli.testing import b64, cast
from jianli.testing.cast import Api

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered() -> Applicant:
    return cast.applicant(name="张三", sequence=12, mobile="13800000000", photo=testing.astronaut())


def _api_register(api: Api, id_number: str, *, mobile: str = "13912345678", sms_code: str = "000000",
                  **headers: str):  # type: ignore[no-untyped-def]
    token = credentials.profile_token_issue(profile=Profile.objects.create(nickname="小程序用户"))
    body = {"name": "张三", "id_number": id_number, "mobile": mobile, "sms_code": sms_code,
            "id_photo": b64(testing.astronaut())}
    return api.post("applicants", body, token=token, **headers)


def test_before_the_sms_code_a_registered_number_looks_like_any_other(registered):
    api = Api()
    unknown = testing.id_number(dt.date(1990, 6, 1), 45)
    # No code sent, and a wrong code: both answers are the same for both numbers.
    for send_code in (False, True):
        answers = []
        for number in (registered.id_number, unknown):
            if send_code:
                services.sms_code_send(mobile="13912345678", request=Client().get("/").wsgi_request)
            r = _api_register(api, number)
            answers.append((r.status_code, r.json()))
        assert answers[0] == answers[1]
        assert set(answers[0][1]["fields"]) == {"sms_code"}
        assert "已注册" not in str(answers[0][1])


def test_the_page_says_nothing_about_the_number_before_the_code_either(registered):
    client = Client()
    client.post("/welcome/", {"nickname": "小李"})
    page = client.post(
        "/register/",
        {"name": "张三", "id_number": registered.id_number, "mobile": "13912345678", "sms_code": "000000",
         "id_photo": SimpleUploadedFile("me.jpg", testing.astronaut(), "image/jpeg"), "action": "register"},
    ).content.decode()
    assert "验证码" in page and "已注册，" not in page and services.REGISTER_REFUSED not in page


def test_after_the_code_the_message_is_neutral(registered):
    api = Api()
    code = services.sms_code_send(mobile="13912345678", request=Client().get("/").wsgi_request)
    r = _api_register(api, registered.id_number, sms_code=code)
    assert r.status_code == 422 and r.json()["fields"] == {"id_number": services.REGISTER_REFUSED}
    assert Applicant.objects.count() == 1


def test_attempts_are_limited_per_address(settings):
    settings.JIANLI_RATE_SIGNUP_PER_ADDRESS = (2, 3600)
    api = Api()
    for n in range(2):
        assert _api_register(api, testing.id_number(sequence=50 + n)).status_code == 422
    r = _api_register(api, testing.id_number(sequence=60))
    assert r.status_code == 429 and "注册尝试过于频繁" in r.json()["message"]


def test_attempts_are_limited_per_id_number_from_any_address(settings, registered):
    settings.JIANLI_RATE_SIGNUP_PER_ID = (2, 3600)
    api = Api()
    for n in range(2):
        assert _api_register(api, registered.id_number, REMOTE_ADDR=f"10.0.0.{n + 1}").status_code == 422
    r = _api_register(api, registered.id_number, REMOTE_ADDR="10.0.0.9")
    assert r.status_code == 429 and "该证件号码注册尝试过于频繁" in r.json()["message"]
    assert _api_register(api, testing.id_number(sequence=77), REMOTE_ADDR="10.0.0.9").status_code == 422
