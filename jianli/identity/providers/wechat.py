"""WeChat face verification 2.0 (微信人脸核身): getverifyid starts, wx.requestFacialVerify runs in the mini program,
queryverifyinfo gives the result. Pass only when errcode == 0 and verify_ret == 10000."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import requests
from django.conf import settings
from django.core.cache import cache

from jianli.accounts.services import platform_openid
from jianli.identity.models import FaceVerification, Reason
from jianli.identity.providers.base import FaceError, FaceProvider, Passed, Started

CERT_TYPE = "IDENTITY_CARD"
PASSED = 10000
TOKEN_CACHE_KEY = "wechat:access_token"


def cert_hash(cert_type: str, name: str, number: str) -> str:
    def b64(text: str) -> str:
        return base64.b64encode(text.encode()).decode()

    return hashlib.sha256(f"cert_type={b64(cert_type)}&cert_name={b64(name)}&cert_no={b64(number)}".encode()).hexdigest()


def verify_ret_reason(code: int) -> Reason:
    if 90002 <= code <= 90006:
        return Reason.CANCELLED
    if code in (90011, 90013, 90014):
        return Reason.NO_FACE
    if code == 90017:
        return Reason.TIMEOUT
    return Reason.NO_MATCH


class WeChatProvider(FaceProvider):
    name = "wechat"

    def endpoint(self) -> str:
        return settings.JIANLI_WECHAT_ACCESS_TOKEN_URL.rstrip("/")

    def request(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = requests.request(
                method, self.endpoint() + path, timeout=settings.JIANLI_PROVIDER_TIMEOUT, **kwargs
            )
        except requests.Timeout:
            raise FaceError(Reason.TIMEOUT, path) from None
        except requests.RequestException as e:
            raise FaceError(Reason.UNAVAILABLE, f"{path}: {type(e).__name__}") from None
        if response.status_code != 200:
            raise FaceError(Reason.UNAVAILABLE, f"{path}: HTTP {response.status_code}")
        try:
            body = response.json()
        except ValueError:
            raise FaceError(Reason.UNAVAILABLE, f"{path}: not JSON") from None
        if not isinstance(body, dict):
            raise FaceError(Reason.UNAVAILABLE, f"{path}: not an object")
        return body

    def access_token(self) -> str:
        """A token from settings, else a client_credential token cached until shortly before it expires."""
        configured = settings.JIANLI_WECHAT_ACCESS_TOKEN
        if configured:
            return configured
        token = cache.get(TOKEN_CACHE_KEY)
        if token:
            return token
        if not (settings.JIANLI_WECHAT_APPID and settings.JIANLI_WECHAT_SECRET):
            raise FaceError(Reason.UNAVAILABLE, "wechat not configured")
        body = self.request(
            "GET", "/cgi-bin/token",
            params={"grant_type": "client_credential", "appid": settings.JIANLI_WECHAT_APPID,
                    "secret": settings.JIANLI_WECHAT_SECRET},
        )
        token = body.get("access_token")
        if not token:
            raise FaceError(Reason.UNAVAILABLE, f"token errcode {body.get('errcode')}")
        cache.set(TOKEN_CACHE_KEY, token, max(60, int(body.get("expires_in", 7200)) - 300))
        return str(token)

    def post(self, path: str, data: dict[str, Any]) -> dict[str, Any]:
        body = self.request("POST", path, params={"access_token": self.access_token()}, json=data)
        errcode = body.get("errcode", 0)
        if errcode in (40001, 42001):
            cache.delete(TOKEN_CACHE_KEY)
        return body

    def start(self, verification: FaceVerification) -> Started:
        applicant = verification.applicant
        if not openid(verification):
            # WeChat verifies the face of the signed-in WeChat user: without wx.login there is no one to check.
            raise FaceError(Reason.UNAVAILABLE, "no openid: wx.login first (POST /api/v1/wechat/session)")
        body = self.post(
            "/cityservice/face/identify/getverifyid",
            {
                # The nonce is 32 characters of [A-Za-z0-9_-]: a valid out_seq_no, unique per attempt.
                "out_seq_no": verification.nonce,
                "cert_info": {"cert_type": CERT_TYPE, "cert_name": applicant.name, "cert_no": applicant.id_number},
                "openid": openid(verification),
            },
        )
        if body.get("errcode", 0) != 0 or not body.get("verify_id"):
            raise FaceError(Reason.UNAVAILABLE, f"getverifyid errcode {body.get('errcode')}")
        return Started(token=str(body["verify_id"]), client={"verify_id": body["verify_id"]})

    def finish(self, verification: FaceVerification, payload: dict[str, Any]) -> Passed:
        applicant = verification.applicant
        body = self.post(
            "/cityservice/face/identify/queryverifyinfo",
            {
                "verify_id": verification.token,
                "out_seq_no": verification.nonce,
                "cert_hash": cert_hash(CERT_TYPE, applicant.name, applicant.id_number),
                "openid": openid(verification),
            },
        )
        errcode = body.get("errcode", -1)
        if errcode != 0:
            raise FaceError(Reason.UNAVAILABLE, f"queryverifyinfo errcode {errcode}")
        verify_ret = body.get("verify_ret")
        if verify_ret != PASSED:
            raise FaceError(verify_ret_reason(int(verify_ret or 0)), f"verify_ret {verify_ret}")
        return Passed(request_id=f"wx-{verification.nonce[:16]}")


def openid(verification: FaceVerification) -> str:
    """The openid of the WeChat user running the check: the one bound (POST /api/v1/wechat/session) to the platform
    user that started it, else to the applicant's own platform user."""
    return platform_openid(verification.profile, "wechat") or platform_openid(
        getattr(verification.applicant, "profile", None), "wechat"
    )
