"""Tencent Cloud SMS (SendSms 2021-01-11, TC3-HMAC-SHA256) and Alibaba Cloud SMS (SendSms 2017-05-25, RPC
HMAC-SHA1 signature), called over HTTPS with `requests`, no SDK; and their delivery receipts (回执).

Both vendors send only approved templates: JIANLI_SMS_TEMPLATE_ID names one whose single variable is the
message (its text without our 【签名】, which the vendor adds from JIANLI_SMS_SIGN_NAME).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import time
import uuid
from typing import Any
from urllib.parse import quote, urlsplit

import requests
from django.conf import settings

from jianli.identity.providers.tencent import tc3_authorization
from jianli.notifications.sms import SmsProvider, TransportError

SIGNATURE = "【"


def template_text(text: str) -> str:
    """The variable part: the vendor prepends the approved signature itself."""
    if text.startswith(SIGNATURE) and "】" in text:
        return text.split("】", 1)[1]
    return text


def _post(url: str, **kwargs: Any) -> dict[str, Any]:
    try:
        response = requests.post(url, timeout=settings.JIANLI_PROVIDER_TIMEOUT, **kwargs)
    except requests.RequestException as e:
        raise TransportError(f"network: {type(e).__name__}") from e
    if response.status_code >= 500:
        raise TransportError(f"HTTP {response.status_code}")
    try:
        return response.json()
    except ValueError as e:
        raise TransportError(f"HTTP {response.status_code}: not JSON") from e


class TencentSms(SmsProvider):
    name = "tencent"
    VERSION = "2021-01-11"
    # Error codes worth retrying: the vendor's limits and its own faults; everything else is permanent.
    TRANSIENT = ("LimitExceeded", "RequestLimitExceeded", "InternalError", "FailedOperation.InsufficientBalance")

    def send(self, mobile: str, text: str) -> str:
        endpoint = settings.JIANLI_SMS_TENCENT_ENDPOINT
        body = json.dumps({
            "PhoneNumberSet": [f"+86{mobile}"],
            "SmsSdkAppId": settings.JIANLI_SMS_APP_ID,
            "SignName": settings.JIANLI_SMS_SIGN_NAME,
            "TemplateId": settings.JIANLI_SMS_TEMPLATE_ID,
            "TemplateParamSet": [template_text(text)],
        }, ensure_ascii=False).encode()
        timestamp = int(time.time())
        host = urlsplit(endpoint).netloc
        headers = {
            "Authorization": tc3_authorization(
                secret_id=settings.JIANLI_SMS_SECRET_ID, secret_key=settings.JIANLI_SMS_SECRET_KEY,
                service="sms", host=host, timestamp=timestamp, payload=body,
            ),
            "Content-Type": "application/json; charset=utf-8",
            "Host": host,
            "X-TC-Action": "SendSms",
            "X-TC-Version": self.VERSION,
            "X-TC-Timestamp": str(timestamp),
            "X-TC-Region": settings.JIANLI_SMS_REGION or "ap-guangzhou",
        }
        answer = _post(endpoint, data=body, headers=headers).get("Response", {})
        if "Error" in answer:
            self._fail(answer["Error"].get("Code", ""), answer["Error"].get("Message", ""))
        status = (answer.get("SendStatusSet") or [{}])[0]
        if status.get("Code") != "Ok":
            self._fail(status.get("Code", ""), status.get("Message", ""))
        return str(status["SerialNo"])

    def _fail(self, code: str, message: str) -> None:
        raise TransportError(f"{code}: {message}"[:200], permanent=not code.startswith(self.TRANSIENT))


def percent(value: str) -> str:
    """RFC 3986 encoding as Alibaba Cloud's RPC signature wants it (space %20, * %2A, ~ kept)."""
    return quote(value, safe="-_.~")


def rpc_signature(params: dict[str, str], secret: str, method: str = "POST") -> str:
    canonical = "&".join(f"{percent(k)}={percent(v)}" for k, v in sorted(params.items()))
    to_sign = f"{method}&{percent('/')}&{percent(canonical)}"
    return base64.b64encode(hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()).decode()


class AliyunSms(SmsProvider):
    name = "aliyun"
    TRANSIENT = ("isv.BUSINESS_LIMIT_CONTROL", "isp.", "Throttling", "ServiceUnavailable", "isv.DAY_LIMIT_CONTROL")

    def send(self, mobile: str, text: str) -> str:
        params = {
            "AccessKeyId": settings.JIANLI_SMS_SECRET_ID,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": mobile,
            "RegionId": settings.JIANLI_SMS_REGION or "cn-hangzhou",
            "SignName": settings.JIANLI_SMS_SIGN_NAME,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": settings.JIANLI_SMS_TEMPLATE_ID,
            "TemplateParam": json.dumps({"content": template_text(text)}, ensure_ascii=False),
            "Timestamp": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
        }
        params["Signature"] = rpc_signature(params, settings.JIANLI_SMS_SECRET_KEY)
        answer = _post(settings.JIANLI_SMS_ALIYUN_ENDPOINT, data=params)
        code = str(answer.get("Code", ""))
        if code != "OK":
            raise TransportError(f"{code}: {answer.get('Message', '')}"[:200],
                                 permanent=not code.startswith(self.TRANSIENT))
        return str(answer["BizId"])


def parse_receipts(provider: str, payload: Any) -> list[tuple[str, bool, str]]:
    """(provider message id, delivered, the vendor's reason) per entry of a receipt push."""
    entries = payload if isinstance(payload, list) else [payload]
    found = []
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        if provider == "tencent" and entry.get("sid"):
            found.append((str(entry["sid"]), entry.get("report_status") == "SUCCESS",
                          str(entry.get("description") or entry.get("errmsg") or "")))
        elif provider == "aliyun" and entry.get("biz_id"):
            success = entry.get("success") in (True, "true")
            found.append((str(entry["biz_id"]), success, str(entry.get("err_msg") or entry.get("err_code") or "")))
    return found


RECEIPT_ANSWERS = {"tencent": {"result": 0, "errmsg": "OK"}, "aliyun": {"code": 0, "msg": "成功"}}
