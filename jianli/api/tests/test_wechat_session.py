"""WeChat sign-in: POST /api/v1/wechat/session against a local fake of jscode2session, and the face check it
makes possible (WeChat face verification 2.0 checks the openid that logged in)."""

from __future__ import annotations

import pytest

from jianli import wechat
from jianli.accounts.models import PlatformIdentity, Profile
from jianli.identity.tests import fakes

pytestmark = pytest.mark.django_db


@pytest.fixture
def wx(settings):  # type: ignore[no-untyped-def]
    with fakes.wechat() as (url, state):
        settings.JIANLI_FACE_PROVIDER = "wechat"
        settings.JIANLI_WECHAT_ACCESS_TOKEN_URL = url
        settings.JIANLI_WECHAT_APPID, settings.JIANLI_WECHAT_SECRET = "wxappid", "wxsecret"
        settings.JIANLI_PROVIDER_TIMEOUT = 2.0
        yield state


def test_the_client_exchanges_a_code_once(wx) -> None:  # type: ignore[no-untyped-def]
    code = wx.login_code("oWX-1", "uWX-1")
    assert wechat.code_to_session(code) == wechat.Session("oWX-1", "uWX-1")
    with pytest.raises(wechat.WeChatError) as e:
        wechat.code_to_session(code)
    assert e.value.errcode == wechat.CODE_USED


def test_the_client_reports_expired_codes_and_limits(wx) -> None:  # type: ignore[no-untyped-def]
    wx.code_ttl = 0.0
    with pytest.raises(wechat.WeChatError) as e:
        wechat.code_to_session(wx.login_code("oWX-1"))
    assert e.value.errcode == wechat.INVALID_CODE
    wx.jscode_limited = True
    with pytest.raises(wechat.WeChatError) as e:
        wechat.code_to_session("whatever")
    assert e.value.errcode == wechat.RATE_LIMITED


def test_a_session_binds_the_openid_to_the_profile_encrypted(api, profile_token, wx) -> None:  # type: ignore[no-untyped-def]
    r = api.post("wechat/session", {"code": wx.login_code("oWX-7", "uWX-7")}, token=profile_token)
    assert r.status_code == 200, r.content
    assert r.json() == {"platform": "wechat", "bound": True, "has_unionid": True}
    identity = PlatformIdentity.objects.get()
    assert identity.openid == "oWX-7" and identity.profile == Profile.objects.get()
    from django.db import connection

    with connection.cursor() as c:
        c.execute("SELECT openid FROM accounts_platformidentity")
        assert "oWX-7" not in c.fetchone()[0]


@pytest.mark.parametrize(
    "case,status,message",
    [
        ("expired", 422, "登录凭证无效或已过期，请重新进入小程序。"),
        ("reused", 422, "登录凭证已使用过，请重新进入小程序。"),
        ("limited", 429, None),
        ("down", 503, None),
    ],
)
def test_refused_codes_answer_in_the_one_shape(api, profile_token, wx, settings, case, status, message) -> None:  # type: ignore[no-untyped-def]
    code = wx.login_code("oWX-8")
    if case == "expired":
        wx.code_ttl = 0.0
    elif case == "reused":
        assert api.post("wechat/session", {"code": code}, token=profile_token).status_code == 200
    elif case == "limited":
        wx.jscode_limited = True
    else:
        settings.JIANLI_WECHAT_ACCESS_TOKEN_URL = "http://127.0.0.1:9"
    r = api.post("wechat/session", {"code": code}, token=profile_token)
    assert r.status_code == status and set(r.json()) == {"code", "message", "fields"}
    if message:
        assert r.json()["fields"] == {"code": message}


def test_a_session_needs_a_profile_token(api, wx) -> None:  # type: ignore[no-untyped-def]
    r = api.post("wechat/session", {"code": wx.login_code("oWX-9")})
    assert r.status_code == 401


def _pending(api, person, profile_token) -> str:  # type: ignore[no-untyped-def]
    r = api.post(
        "applicants/check",
        {"name": person.applicant.name, "id_number": person.applicant.id_number},
        token=profile_token,
    )
    return str(r.json()["pending_token"])


def test_sign_in_then_face_verification_uses_that_openid(api, alice, profile_token, wx) -> None:  # type: ignore[no-untyped-def]
    pending = _pending(api, alice, profile_token)
    started = api.post("face-verifications", {"consent": True}, token=pending)
    assert started.status_code == 503, "no wx.login yet: WeChat has no one to verify"
    assert api.post("wechat/session", {"code": wx.login_code("oWX-alice")}, token=profile_token).status_code == 200
    started = api.post("face-verifications", {"consent": True}, token=pending).json()
    assert next(iter(wx.tokens.values()))["openid"] == "oWX-alice"
    r = api.post(f"face-verifications/{started['id']}/finish", {}, token=pending)
    assert r.json()["status"] == "passed", r.content


def test_a_verify_result_for_another_openid_is_refused(api, alice, profile_token, wx) -> None:  # type: ignore[no-untyped-def]
    pending = _pending(api, alice, profile_token)
    api.post("wechat/session", {"code": wx.login_code("oWX-alice")}, token=profile_token)
    started = api.post("face-verifications", {"consent": True}, token=pending).json()
    # Another WeChat account logs in on the same platform user before finishing: WeChat checked oWX-alice's face.
    api.post("wechat/session", {"code": wx.login_code("oWX-mallory")}, token=profile_token)
    r = api.post(f"face-verifications/{started['id']}/finish", {}, token=pending)
    assert r.json()["status"] == "failed" and not r.json().get("tokens"), r.content
