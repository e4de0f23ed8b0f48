"""Tencent FaceID against a local fake that checks TC3 signatures like the gateway."""

from __future__ import annotations

import pytest

from jianli.identity import services
from jianli.identity.models import FaceVerification, Reason
from jianli.identity.providers.tencent import result_reason, tc3_authorization
from jianli.identity.tests import fakes


def test_the_signer_reproduces_tencents_published_vector():
    auth = tc3_authorization(
        secret_id="AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        secret_key="Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        service="cvm",
        host="cvm.tencentcloudapi.com",
        timestamp=1551113065,
        payload=b'{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
    )
    assert auth == (
        "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, "
        "SignedHeaders=content-type;host, "
        "Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
    )


@pytest.fixture
def server(settings):  # type: ignore[no-untyped-def]
    with fakes.tencent() as (url, state):
        settings.JIANLI_FACE_PROVIDER = "tencent"
        settings.JIANLI_TENCENT_ENDPOINT = url + "/"
        settings.JIANLI_TENCENT_SECRET_ID = fakes.SECRET_ID
        settings.JIANLI_TENCENT_SECRET_KEY = fakes.SECRET_KEY
        settings.JIANLI_TENCENT_RULE_ID = fakes.RULE_ID
        settings.JIANLI_PROVIDER_TIMEOUT = 2.0
        yield state


def run(applicant, state, scenario="pass"):  # type: ignore[no-untyped-def]
    state.scenario = scenario
    verification, started = services.verification_start(credential="test", applicant=applicant)
    assert started.client["biz_token"] == verification.token
    # The client may send anything back; only our stored BizToken is used.
    return services.verification_finish(credential="test", verification=verification, payload={"biz_token": "FORGED"})


def test_a_passed_flow_passes_with_tencents_score_and_request_id(server, make_applicant):
    applicant = make_applicant()
    done = run(applicant, server)
    assert done.status == FaceVerification.Status.PASSED
    assert done.score == pytest.approx(0.9512)
    assert done.request_id
    assert server.calls == ["DetectAuth", "GetDetectInfoEnhanced"]
    flow = next(iter(server.tokens.values()))
    assert flow["Extra"] == f"app={applicant.pk};n={done.nonce}"
    assert flow["Name"] == "张三" and flow["IdCard"] == applicant.id_number


@pytest.mark.parametrize(
    "scenario,reason",
    [
        ("2016", Reason.NO_MATCH),
        ("2015", Reason.NO_MATCH),
        ("1002", Reason.NOT_LIVE),
        ("15", Reason.EXPIRED),
        ("expired", Reason.EXPIRED),  # InvalidParameterValue.BizTokenExpired
        ("other_person", Reason.MISMATCHED_IDENTITY),
        ("wrong_extra", Reason.EXPIRED),
    ],
)
def test_failures_map_to_our_reasons(server, make_applicant, scenario, reason):
    done = run(make_applicant(), server, scenario)
    assert (done.status, done.reason) == (FaceVerification.Status.FAILED, reason)


def test_low_similarity_keeps_the_score(server, make_applicant):
    assert run(make_applicant(), server, "2016").score == pytest.approx(0.552)


def test_a_wrong_secret_key_is_a_signature_failure_and_unavailable(server, make_applicant, settings):
    settings.JIANLI_TENCENT_SECRET_KEY = "wrong"
    with pytest.raises(services.FaceError) as e:
        services.verification_start(credential="test", applicant=make_applicant())
    assert e.value.reason == Reason.UNAVAILABLE and "AuthFailure.SignatureFailure" in e.value.detail
    assert FaceVerification.objects.get().reason == Reason.UNAVAILABLE


def test_an_unknown_secret_id_is_unavailable(server, make_applicant, settings):
    settings.JIANLI_TENCENT_SECRET_ID = "AKIDnobody"
    with pytest.raises(services.FaceError) as e:
        services.verification_start(credential="test", applicant=make_applicant())
    assert "AuthFailure.SecretIdNotFound" in e.value.detail


def test_a_clock_off_by_more_than_five_minutes_is_refused(server, make_applicant, monkeypatch):
    import time

    from jianli.identity.providers.tencent import TencentProvider

    monkeypatch.setattr(TencentProvider, "clock", staticmethod(lambda: time.time() - 400))
    with pytest.raises(services.FaceError) as e:
        services.verification_start(credential="test", applicant=make_applicant())
    assert "AuthFailure.SignatureExpire" in e.value.detail


def test_a_slow_server_is_a_timeout(server, make_applicant, settings):
    applicant = make_applicant()
    server.scenario = "pass"
    verification, _ = services.verification_start(credential="test", applicant=applicant)
    settings.JIANLI_PROVIDER_TIMEOUT = 0.3
    server.slow_seconds = 1.0
    done = services.verification_finish(credential="test", verification=verification, payload={})
    assert done.reason == Reason.TIMEOUT


@pytest.mark.parametrize("broken", ["http500", "not_json"])
def test_a_gateway_error_page_or_non_json_answer_is_unavailable(server, make_applicant, broken):
    verification, _ = services.verification_start(credential="test", applicant=make_applicant())
    server.broken = broken
    assert services.verification_finish(credential="test", verification=verification, payload={}).reason == Reason.UNAVAILABLE


def test_an_unreachable_server_is_unavailable(make_applicant, settings):
    settings.JIANLI_FACE_PROVIDER = "tencent"
    settings.JIANLI_TENCENT_ENDPOINT = "http://127.0.0.1:9/"
    settings.JIANLI_TENCENT_SECRET_ID, settings.JIANLI_TENCENT_SECRET_KEY = "id", "key"
    settings.JIANLI_TENCENT_RULE_ID = "1"
    with pytest.raises(services.FaceError) as e:
        services.verification_start(credential="test", applicant=make_applicant())
    assert e.value.reason == Reason.UNAVAILABLE


def test_without_credentials_it_is_unavailable_and_nothing_is_sent(make_applicant, settings):
    settings.JIANLI_FACE_PROVIDER = "tencent"
    settings.JIANLI_TENCENT_SECRET_ID = ""
    with pytest.raises(services.FaceError) as e:
        services.verification_start(credential="test", applicant=make_applicant())
    assert e.value.reason == Reason.UNAVAILABLE


@pytest.mark.parametrize(
    "code,reason",
    [(2015, Reason.NO_MATCH), (2016, Reason.NO_MATCH), (1001, Reason.NOT_LIVE), (1008, Reason.NOT_LIVE),
     (15, Reason.EXPIRED), (2012, Reason.MULTIPLE_FACES), (2006, Reason.MISMATCHED_IDENTITY),
     (2017, Reason.UNAVAILABLE), (4, Reason.UNAVAILABLE), (17, Reason.CANCELLED), (301, Reason.MISMATCHED_IDENTITY)],
)
def test_result_codes(code, reason):
    assert result_reason(code) == reason
