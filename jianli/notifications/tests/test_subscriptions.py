"""订阅消息: consent recorded per template through the API, one message per accepted answer, sent through
subscribeMessage.send (access token from the local WeChat fake) beside the SMS of the same transition."""

from __future__ import annotations

import pytest

from jianli.accounts.services import platform_identity_bind
from jianli.identity.tests import fakes
from jianli.notifications import subscriptions
from jianli.notifications.models import Message, SubscriptionConsent
from jianli.testing.cast import Api

pytestmark = pytest.mark.django_db

TEMPLATE = "tmpl-progress-0001"


@pytest.fixture
def wx(settings):  # type: ignore[no-untyped-def]
    with fakes.wechat() as (url, state):
        settings.JIANLI_WECHAT_ACCESS_TOKEN_URL = url
        settings.JIANLI_WECHAT_APPID, settings.JIANLI_WECHAT_SECRET = "wxappid", "wxsecret"
        settings.JIANLI_WECHAT_TEMPLATES = {"progress": TEMPLATE}
        settings.JIANLI_PROVIDER_TIMEOUT = 2.0
        yield state


@pytest.fixture
def person(db):  # type: ignore[no-untyped-def]
    from jianli.testing.cast import api_person

    p = api_person("李娜", 21)
    platform_identity_bind(profile=p.profile, platform="wechat", openid="oWX-lina")
    return p


def test_consent_is_recorded_per_template_and_counts_accepts(person, wx) -> None:  # type: ignore[no-untyped-def]
    api = Api()
    r = api.post("wechat/subscriptions", {"answers": {TEMPLATE: "accept"}}, token=person.access)
    assert r.status_code == 200 and r.json() == [{"template_id": TEMPLATE, "answer": "accept", "remaining": 1}]
    api.post("wechat/subscriptions", {"answers": {TEMPLATE: "accept"}}, token=person.access)
    assert SubscriptionConsent.objects.get().remaining == 2
    r = api.post("wechat/subscriptions", {"answers": {TEMPLATE: "reject"}}, token=person.access)
    assert r.json()[0]["remaining"] == 0


def test_an_unknown_template_is_refused_at_its_field(person, wx) -> None:  # type: ignore[no-untyped-def]
    r = Api().post("wechat/subscriptions", {"answers": {"someone-elses": "accept"}}, token=person.access)
    assert r.status_code == 422 and r.json()["fields"] == {"answers": "不是本服务的消息模板"}


def test_one_message_per_accept_and_none_without(person, wx) -> None:  # type: ignore[no-untyped-def]
    data = {"thing1": "监理工程师执业资格认定", "phrase2": "待部级审核"}
    assert subscriptions.send(profile=person.profile, kind="progress", data=data) is False
    subscriptions.consent_record(profile=person.profile, answers={TEMPLATE: "accept"})
    assert subscriptions.send(profile=person.profile, kind="progress", data=data) is True
    assert subscriptions.send(profile=person.profile, kind="progress", data=data) is False
    [sent] = wx.sent
    assert sent["touser"] == "oWX-lina" and sent["template_id"] == TEMPLATE
    assert sent["data"]["phrase2"] == {"value": "待部级审核"}


def test_a_refusal_on_wechat_clears_the_consent_and_does_not_raise(person, wx) -> None:  # type: ignore[no-untyped-def]
    subscriptions.consent_record(profile=person.profile, answers={TEMPLATE: "accept"})
    subscriptions.consent_record(profile=person.profile, answers={TEMPLATE: "accept"})
    wx.refusing.add("oWX-lina")
    assert subscriptions.send(profile=person.profile, kind="progress", data={"thing1": "x"}) is False
    assert SubscriptionConsent.objects.get().remaining == 0


def test_a_transition_sends_sms_and_the_subscription_message(person, wx, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    from jianli.notifications.services import notify_transition
    from jianli.testing import cast

    subscriptions.consent_record(profile=person.profile, answers={TEMPLATE: "accept"})
    application = cast.submitted(person.applicant, cast.employer(1, "北京华建工程监理有限公司"))
    wx.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify_transition(application, "report")
    assert Message.objects.filter(application=application).exists()
    assert [m["page"] for m in wx.sent] == [f"pages/progress/progress?id={application.pk}"]
