"""WeChat face verification 2.0 against a local fake: getverifyid, queryverifyinfo, cert_hash."""

from __future__ import annotations

import pytest

from jianli.accounts.models import Profile
from jianli.accounts.services import platform_identity_bind
from jianli.identity import services
from jianli.identity.models import FaceVerification, Reason
from jianli.identity.providers.wechat import cert_hash
from jianli.identity.tests import fakes


def test_cert_hash_matches_the_documented_vector():
    assert cert_hash("IDENTITY_CARD", "张三", "310101199801011234") == (
        "3c241f7ff324977aeb91f173bb2a7b06569e6fd784d5573db34a636d8671108b"
    )


@pytest.fixture
def server(settings):  # type: ignore[no-untyped-def]
    with fakes.wechat() as (url, state):
        settings.JIANLI_FACE_PROVIDER = "wechat"
        settings.JIANLI_WECHAT_ACCESS_TOKEN_URL = url
        settings.JIANLI_WECHAT_APPID, settings.JIANLI_WECHAT_SECRET = "wxappid", "wxsecret"
        settings.JIANLI_PROVIDER_TIMEOUT = 2.0
        yield state


def wx_user(openid: str = "oWX-alice") -> Profile:
    profile = Profile.objects.create(nickname="微信用户")
    platform_identity_bind(profile=profile, platform="wechat", openid=openid)
    return profile


def run(applicant, state, scenario="pass"):  # type: ignore[no-untyped-def]
    state.scenario = scenario
    verification, started = services.verification_start(credential="test", applicant=applicant, profile=wx_user())
    assert started.client["verify_id"] == verification.token
    return services.verification_finish(credential="test", verification=verification, payload={})


def test_a_passed_flow_passes(server, make_applicant):
    done = run(make_applicant(), server)
    assert done.status == FaceVerification.Status.PASSED
    assert server.calls == [
        "/cgi-bin/token", "/cityservice/face/identify/getverifyid", "/cityservice/face/identify/queryverifyinfo"
    ]
    flow = next(iter(server.tokens.values()))
    assert flow["out_seq_no"] == done.nonce and flow["cert_info"]["cert_type"] == "IDENTITY_CARD"


def test_the_access_token_is_fetched_once_and_reused(server, make_applicant):
    applicant = make_applicant()
    run(applicant, server)
    run(applicant, server)
    assert server.calls.count("/cgi-bin/token") == 1


@pytest.mark.parametrize(
    "scenario,reason", [("cancel", Reason.CANCELLED), ("timeout", Reason.TIMEOUT), ("other", Reason.NO_MATCH)]
)
def test_failures_map_to_our_reasons(server, make_applicant, scenario, reason):
    done = run(make_applicant(), server, scenario)
    assert (done.status, done.reason) == (FaceVerification.Status.FAILED, reason)


def test_a_wrong_secret_is_unavailable(server, make_applicant, settings):
    settings.JIANLI_WECHAT_SECRET = "wrong"
    with pytest.raises(services.FaceError) as e:
        services.verification_start(credential="test", applicant=make_applicant(), profile=wx_user())
    assert e.value.reason == Reason.UNAVAILABLE


def test_a_settings_token_is_used_as_is(server, make_applicant, settings):
    settings.JIANLI_WECHAT_ACCESS_TOKEN = fakes.WECHAT_TOKEN
    assert run(make_applicant(), server).status == FaceVerification.Status.PASSED
    assert "/cgi-bin/token" not in server.calls


def test_a_slow_server_is_a_timeout(server, make_applicant, settings):
    verification, _ = services.verification_start(credential="test", applicant=make_applicant(), profile=wx_user())
    settings.JIANLI_PROVIDER_TIMEOUT = 0.3
    server.slow_seconds = 1.0
    assert services.verification_finish(credential="test", verification=verification, payload={}).reason == Reason.TIMEOUT


def test_without_a_wechat_login_there_is_no_one_to_verify(server, make_applicant):
    with pytest.raises(services.FaceError) as e:
        services.verification_start(credential="test", applicant=make_applicant())
    assert e.value.reason == Reason.UNAVAILABLE and "/cityservice/face/identify/getverifyid" not in server.calls


def test_a_verify_id_queried_for_another_openid_is_refused(server, make_applicant):
    verification, _ = services.verification_start(
        credential="test", applicant=make_applicant(), profile=wx_user("oWX-alice")
    )
    # Someone else's WeChat account now holds the platform user: its openid is not the one WeChat checked.
    platform_identity_bind(profile=verification.profile, platform="wechat", openid="oWX-mallory")
    done = services.verification_finish(credential="test", verification=verification, payload={})
    assert done.status == FaceVerification.Status.FAILED
