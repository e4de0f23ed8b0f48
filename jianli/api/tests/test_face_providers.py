"""The mini program's face flows through the API, against local fakes of the vendors' gateways:
Tencent (start returns the BizToken) and WeChat (start returns the verify_id); finish pulls the result."""

from __future__ import annotations

import pytest

from jianli.identity.tests import fakes

pytestmark = pytest.mark.django_db


@pytest.fixture
def tencent(settings):  # type: ignore[no-untyped-def]
    with fakes.tencent() as (url, state):
        settings.JIANLI_FACE_PROVIDER = "tencent"
        settings.JIANLI_TENCENT_ENDPOINT = url + "/"
        settings.JIANLI_TENCENT_SECRET_ID = fakes.SECRET_ID
        settings.JIANLI_TENCENT_SECRET_KEY = fakes.SECRET_KEY
        settings.JIANLI_TENCENT_RULE_ID = fakes.RULE_ID
        settings.JIANLI_PROVIDER_TIMEOUT = 2.0
        yield state


@pytest.fixture
def wechat(settings):  # type: ignore[no-untyped-def]
    with fakes.wechat() as (url, state):
        settings.JIANLI_FACE_PROVIDER = "wechat"
        settings.JIANLI_WECHAT_ACCESS_TOKEN_URL = url
        settings.JIANLI_WECHAT_APPID, settings.JIANLI_WECHAT_SECRET = "wxappid", "wxsecret"
        settings.JIANLI_PROVIDER_TIMEOUT = 2.0
        yield state


def _pending(api, person, profile_token) -> str:  # type: ignore[no-untyped-def]
    r = api.post(
        "applicants/check",
        {"name": person.applicant.name, "id_number": person.applicant.id_number},
        token=profile_token,
    )
    return str(r.json()["pending_token"])


def test_tencent_biztoken_flow(api, alice, profile_token, tencent) -> None:  # type: ignore[no-untyped-def]
    pending = _pending(api, alice, profile_token)
    started = api.post("face-verifications", {"consent": True}, token=pending).json()
    assert started["provider"] == "tencent" and started["token"]
    assert started["client"]["biz_token"] == started["token"]
    r = api.post(f"face-verifications/{started['id']}/finish", {}, token=pending)
    assert r.status_code == 200 and r.json()["status"] == "passed", r.content
    assert r.json()["tokens"]["access_token"].startswith("jla_")
    assert tencent.calls == ["DetectAuth", "GetDetectInfoEnhanced"]


def test_wechat_verify_id_flow(api, alice, profile_token, wechat) -> None:  # type: ignore[no-untyped-def]
    api.post("wechat/session", {"code": wechat.login_code("oWX-alice")}, token=profile_token)
    pending = _pending(api, alice, profile_token)
    started = api.post("face-verifications", {"consent": True}, token=pending).json()
    assert started["provider"] == "wechat" and started["client"]["verify_id"] == started["token"]
    r = api.post(f"face-verifications/{started['id']}/finish", {}, token=pending)
    assert r.json()["status"] == "passed", r.content


def test_a_gateway_outage_is_a_503_in_the_one_shape(api, alice, profile_token, tencent) -> None:  # type: ignore[no-untyped-def]
    tencent.broken = "http500"
    pending = _pending(api, alice, profile_token)
    r = api.post("face-verifications", {"consent": True}, token=pending)
    assert r.status_code == 503 and set(r.json()) == {"code", "message", "fields"}
