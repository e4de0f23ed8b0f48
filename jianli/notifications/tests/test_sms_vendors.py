"""Tencent Cloud and Alibaba Cloud SMS against local fakes that check each vendor's documented signature and
answer in its documented format (error codes included); delivery receipts (回执) move a message on."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest

from jianli.notifications.models import Message
from jianli.notifications.services import queue as queue_message
from jianli.notifications.tasks import deliver
from jianli.notifications.tests.fakes import SECRET_ID, SECRET_KEY, FakeVendor
from jianli.notifications.vendors import rpc_signature
from jianli.production import refusals


def queue(**kwargs: Any) -> Message:
    """Queue and run the delivery task now, as the worker would once the transaction commits."""
    message = queue_message(**kwargs)
    deliver.call(message.pk)
    return message


TEXT = "【住建部政务服务】您的办件A1已提交，待某公司确认上报。"


@pytest.fixture(params=["tencent", "aliyun"])
def vendor(request, settings):  # type: ignore[no-untyped-def]
    server = FakeVendor(request.param)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.JIANLI_SMS_PROVIDER = request.param
    settings.JIANLI_SMS_TENCENT_ENDPOINT = settings.JIANLI_SMS_ALIYUN_ENDPOINT = server.url
    settings.JIANLI_SMS_SECRET_ID, settings.JIANLI_SMS_SECRET_KEY = SECRET_ID, SECRET_KEY
    settings.JIANLI_SMS_APP_ID, settings.JIANLI_SMS_SIGN_NAME = "1400000000", "住建部政务服务"
    settings.JIANLI_SMS_TEMPLATE_ID = "1234567"
    settings.JIANLI_SMS_RECEIPT_TOKEN = "receipt-token"
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.django_db
def test_a_message_is_sent_with_a_signed_request(vendor) -> None:  # type: ignore[no-untyped-def]
    message = queue(mobile="13912345678", text=TEXT, recipient="王建国")
    message.refresh_from_db()
    assert message.status == Message.Status.SENT and message.provider_id, message.error
    sent = vendor.requests[-1]
    if vendor.vendor == "tencent":
        assert sent["PhoneNumberSet"] == ["+8613912345678"] and sent["TemplateId"] == "1234567"
        assert sent["TemplateParamSet"] == ["您的办件A1已提交，待某公司确认上报。"]
    else:
        assert sent["PhoneNumbers"] == "13912345678" and sent["TemplateCode"] == "1234567"
        assert json.loads(sent["TemplateParam"]) == {"content": "您的办件A1已提交，待某公司确认上报。"}


@pytest.mark.django_db
def test_a_wrong_secret_fails_for_good(vendor, settings) -> None:  # type: ignore[no-untyped-def]
    settings.JIANLI_SMS_SECRET_KEY = "not-the-key"
    message = queue(mobile="13912345678", text=TEXT, recipient="r")
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED and "Signature" in message.error
    assert not vendor.requests


@pytest.mark.django_db
def test_a_bad_number_fails_and_a_vendor_limit_is_retried(vendor) -> None:  # type: ignore[no-untyped-def]
    bad = queue(mobile="13800000001", text=TEXT, recipient="r")
    limited = queue(mobile="13800000002", text=TEXT, recipient="r")
    bad.refresh_from_db()
    limited.refresh_from_db()
    assert bad.status == Message.Status.FAILED and ("IncorrectPhoneNumber" in bad.error or "ILLEGAL" in bad.error)
    assert limited.status == Message.Status.QUEUED and limited.attempts == 1 and "LIMIT" in limited.error.upper()


def receipt(vendor: str, provider_id: str, delivered: bool) -> list[dict[str, Any]]:
    if vendor == "tencent":  # 短信下发状态回调, as documented
        return [{"user_receive_time": "2026-12-02 09:30:00", "nationcode": "86", "mobile": "13912345678",
                 "report_status": "SUCCESS" if delivered else "FAIL", "errmsg": "DELIVRD" if delivered else "MK:0001",
                 "description": "用户短信送达成功" if delivered else "用户手机关机", "sid": provider_id}]
    return [{"phone_number": "13912345678", "send_time": "2026-12-02 09:29:59", "report_time": "2026-12-02 09:30:00",
             "success": delivered, "err_code": "DELIVERED" if delivered else "MK:0001",
             "err_msg": "用户接收成功" if delivered else "用户手机关机", "sms_size": "1", "biz_id": provider_id,
             "out_id": ""}]


@pytest.mark.django_db
def test_receipts_move_messages_to_delivered_or_failed(vendor, client) -> None:  # type: ignore[no-untyped-def]
    ok = queue(mobile="13912345678", text=TEXT, recipient="r")
    lost = queue(mobile="13912345678", text=TEXT, recipient="r")
    ok.refresh_from_db()
    lost.refresh_from_db()
    url = f"/sms/receipts/{vendor.vendor}/receipt-token"
    body = receipt(vendor.vendor, ok.provider_id, True) + receipt(vendor.vendor, lost.provider_id, False)
    r = client.post(url, body, content_type="application/json")
    assert r.status_code == 200
    assert r.json() == ({"result": 0, "errmsg": "OK"} if vendor.vendor == "tencent" else {"code": 0, "msg": "成功"})
    ok.refresh_from_db()
    lost.refresh_from_db()
    assert ok.status == Message.Status.DELIVERED and ok.get_status_display() == "已送达" and ok.delivered_at
    assert lost.status == Message.Status.FAILED and "关机" in lost.error
    assert client.post(url, body, content_type="application/json").status_code == 200  # a repeat changes nothing
    wrong = client.post(f"/sms/receipts/{vendor.vendor}/guess", body, content_type="application/json")
    assert wrong.status_code == 404
    assert client.post(url, "not json", content_type="application/json").status_code == 400


def test_the_rpc_signature_matches_the_vendors_documented_example() -> None:
    params = {
        "AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123", "PhoneNumbers": "15300000001",
        "RegionId": "cn-hangzhou", "SignName": "阿里云短信测试专用", "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466", "SignatureVersion": "1.0",
        "TemplateCode": "SMS_71390007", "TemplateParam": '{"customer":"test"}', "Timestamp": "2017-07-12T02:42:19Z",
        "Version": "2017-05-25",
    }
    assert rpc_signature(params, "testSecret", method="GET") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


def test_production_takes_only_a_real_gateway() -> None:
    base = {"DEBUG": False, "CACHES": {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}},
            "JIANLI_FACE_PROVIDER": "tencent", "JIANLI_FACE_ALLOW_FAKE": False, "PII_LOOKUP_KEY": "k",
            "DEMO": False, "JIANLI_PRODUCTION": True, "JIANLI_FACE_API_PROVIDERS": []}
    given = {"JIANLI_SECRET_KEY", "JIANLI_PII_KEY"}
    for name in ("tencent", "aliyun"):
        assert not [p for p in refusals({**base, "JIANLI_SMS_PROVIDER": name}, given) if "SMS" in p]
    for name in ("console", "smtp"):
        assert [p for p in refusals({**base, "JIANLI_SMS_PROVIDER": name}, given) if "SMS" in p]
