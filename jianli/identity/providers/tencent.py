"""Tencent Cloud FaceID (人脸核身) API 3.0: DetectAuth starts the 慧眼 flow, GetDetectInfoEnhanced reads its result.

Only the server-side result counts; the client only hands back that it finished. Requests are signed with
TC3-HMAC-SHA256 by hand (no SDK dependency). Credentials come from settings (the environment) only.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings

from jianli.identity.models import FaceVerification, Reason
from jianli.identity.providers.base import FaceError, FaceProvider, Passed, Started

SERVICE = "faceid"
VERSION = "2018-03-01"
CONTENT_TYPE = "application/json; charset=utf-8"


def tc3_authorization(
    *, secret_id: str, secret_key: str, service: str, host: str, timestamp: int, payload: bytes,
    content_type: str = CONTENT_TYPE,
) -> str:
    """The Authorization header of a POST / with signed headers content-type;host."""
    date = dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y-%m-%d")
    canonical = (
        f"POST\n/\n\ncontent-type:{content_type}\nhost:{host}\n\ncontent-type;host\n"
        + hashlib.sha256(payload).hexdigest()
    )
    scope = f"{date}/{service}/tc3_request"
    to_sign = f"TC3-HMAC-SHA256\n{timestamp}\n{scope}\n" + hashlib.sha256(canonical.encode()).hexdigest()

    def mac(key: bytes, msg: str) -> bytes:
        return hmac.new(key, msg.encode(), hashlib.sha256).digest()

    key = mac(mac(mac(f"TC3{secret_key}".encode(), date), service), "tc3_request")
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    return f"TC3-HMAC-SHA256 Credential={secret_id}/{scope}, SignedHeaders=content-type;host, Signature={signature}"


def result_reason(code: int) -> Reason:
    """Text.ErrCode of GetDetectInfoEnhanced (非 0) → our reason."""
    if code in (15, 16, 14):
        return Reason.EXPIRED
    if code == 17:
        return Reason.CANCELLED
    if 301 <= code <= 303 or code == 2006:
        return Reason.MISMATCHED_IDENTITY
    if 1001 <= code <= 1008:
        return Reason.NOT_LIVE
    if code == 2012:
        return Reason.MULTIPLE_FACES
    if code == 2017:
        return Reason.UNAVAILABLE
    if 2001 <= code <= 2016:
        return Reason.NO_MATCH
    return Reason.UNAVAILABLE


def error_reason(code: str) -> Reason:
    """Response.Error.Code (the API refused the call) → our reason."""
    if code in ("InvalidParameterValue.BizTokenExpired", "InvalidParameterValue.BizTokenIllegal"):
        return Reason.EXPIRED
    return Reason.UNAVAILABLE


class TencentProvider(FaceProvider):
    name = "tencent"
    # DetectAuth's ImageBase64 makes 慧眼 compare with our photo instead of the authoritative database.
    compares_candidate = True

    @staticmethod
    def clock() -> float:
        return time.time()

    def call(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        secret_id, secret_key = settings.JIANLI_TENCENT_SECRET_ID, settings.JIANLI_TENCENT_SECRET_KEY
        if not (secret_id and secret_key and settings.JIANLI_TENCENT_RULE_ID):
            raise FaceError(Reason.UNAVAILABLE, "tencent not configured")
        endpoint = settings.JIANLI_TENCENT_ENDPOINT
        host = urlsplit(endpoint).netloc
        body = json.dumps(params, ensure_ascii=False).encode()
        timestamp = int(self.clock())
        headers = {
            "Authorization": tc3_authorization(
                secret_id=secret_id, secret_key=secret_key, service=SERVICE, host=host, timestamp=timestamp,
                payload=body,
            ),
            "Content-Type": CONTENT_TYPE,
            "Host": host,
            "X-TC-Action": action,
            "X-TC-Version": VERSION,
            "X-TC-Timestamp": str(timestamp),
        }
        try:
            response = requests.post(endpoint, data=body, headers=headers, timeout=settings.JIANLI_PROVIDER_TIMEOUT)
        except requests.Timeout:
            raise FaceError(Reason.TIMEOUT, action) from None
        except requests.RequestException as e:
            raise FaceError(Reason.UNAVAILABLE, f"{action}: {type(e).__name__}") from None
        if response.status_code != 200:
            raise FaceError(Reason.UNAVAILABLE, f"{action}: HTTP {response.status_code}")
        try:
            result = response.json()["Response"]
        except (ValueError, KeyError, TypeError):
            raise FaceError(Reason.UNAVAILABLE, f"{action}: not a Tencent response") from None
        if "Error" in result:
            code = str(result["Error"].get("Code", ""))
            raise FaceError(error_reason(code), f"{action}: {code}", request_id=str(result.get("RequestId", "")))
        return result

    def start(self, verification: FaceVerification) -> Started:
        applicant = verification.applicant
        params = {
            "RuleId": settings.JIANLI_TENCENT_RULE_ID,
            "IdCard": applicant.id_number.upper(),
            "Name": applicant.name,
            "Extra": extra(verification),
        }
        if verification.purpose == FaceVerification.Purpose.PHOTO_CHANGE:
            if not verification.candidate:
                raise FaceError(Reason.UNAVAILABLE, "no candidate photo")
            params["ImageBase64"] = base64.b64encode(verification.candidate).decode()
        result = self.call("DetectAuth", params)
        token = str(result.get("BizToken") or "")
        if not token:
            raise FaceError(Reason.UNAVAILABLE, "DetectAuth without BizToken")
        return Started(token=token, client={"biz_token": token, "url": result.get("Url", "")})

    def finish(self, verification: FaceVerification, payload: dict[str, Any]) -> Passed:
        # The token is ours, stored at start; whatever the client sends is ignored.
        result = self.call(
            "GetDetectInfoEnhanced",
            {"BizToken": verification.token, "RuleId": settings.JIANLI_TENCENT_RULE_ID, "InfoType": "1"},
        )
        request_id = str(result.get("RequestId", ""))
        text = result.get("Text") or {}
        score = _sim(text.get("Sim"))
        try:
            code = int(str(text.get("ErrCode")))
        except (TypeError, ValueError):
            raise FaceError(Reason.UNAVAILABLE, "no ErrCode", request_id=request_id) from None
        if code != 0:
            raise FaceError(result_reason(code), f"ErrCode {code}", score=score, request_id=request_id)
        applicant = verification.applicant
        if text.get("Name") != applicant.name or str(text.get("IdCard", "")).upper() != applicant.id_number.upper():
            raise FaceError(Reason.MISMATCHED_IDENTITY, score=score, request_id=request_id)
        if text.get("Extra") != extra(verification):
            raise FaceError(Reason.EXPIRED, "Extra does not carry our nonce", score=score, request_id=request_id)
        return Passed(score=score, request_id=request_id)


def extra(verification: FaceVerification) -> str:
    return f"app={verification.applicant_id};n={verification.nonce}"


def _sim(value: Any) -> float | None:
    """Tencent's Sim is 0–100 (same person from 70); kept as 0–1 like the other providers."""
    try:
        return round(float(value) / 100, 4)
    except (TypeError, ValueError):
        return None
