"""WeChat's server API for the mini program: 小程序登录 (jscode2session) and the access token.

Documented answers: {openid, session_key, unionid} on success, else {errcode, errmsg}: 40029 invalid code (expired
or made up), 40163 code been used, 45011 too many calls, -1 system busy. The session_key is never kept: Jianli needs
only who the user is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests
from django.conf import settings

from jianli.identity.providers.base import FaceError
from jianli.identity.providers.wechat import WeChatProvider

INVALID_CODE = 40029
CODE_USED = 40163
RATE_LIMITED = 45011


class WeChatError(Exception):
    def __init__(self, errcode: int, errmsg: str = "") -> None:
        super().__init__(f"wechat errcode {errcode}: {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


@dataclass(frozen=True)
class Session:
    openid: str
    unionid: str = ""


def _get(path: str, params: dict[str, str]) -> dict[str, Any]:
    url = settings.JIANLI_WECHAT_ACCESS_TOKEN_URL.rstrip("/") + path
    try:
        response = requests.get(url, params=params, timeout=settings.JIANLI_PROVIDER_TIMEOUT)
    except requests.RequestException as e:
        raise WeChatError(-1, type(e).__name__) from None
    if response.status_code != 200:
        raise WeChatError(-1, f"HTTP {response.status_code}")
    try:
        body = response.json()
    except ValueError:
        raise WeChatError(-1, "not JSON") from None
    if not isinstance(body, dict):
        raise WeChatError(-1, "not an object")
    return body


def code_to_session(code: str) -> Session:
    """Exchange a wx.login code (valid 5 minutes, once) for the user's openid and unionid."""
    if not (settings.JIANLI_WECHAT_APPID and settings.JIANLI_WECHAT_SECRET):
        raise WeChatError(-1, "wechat not configured")
    body = _get(
        "/sns/jscode2session",
        {
            "appid": settings.JIANLI_WECHAT_APPID,
            "secret": settings.JIANLI_WECHAT_SECRET,
            "js_code": code,
            "grant_type": "authorization_code",
        },
    )
    errcode = int(body.get("errcode") or 0)
    if errcode or not body.get("openid"):
        raise WeChatError(errcode or -1, str(body.get("errmsg", "")))
    return Session(openid=str(body["openid"]), unionid=str(body.get("unionid") or ""))


USER_REFUSED = 43101


def access_token() -> str:
    try:
        return WeChatProvider().access_token()
    except FaceError as e:
        raise WeChatError(-1, e.detail) from None


def subscribe_message_send(*, openid: str, template_id: str, page: str, data: dict[str, str]) -> None:
    """subscribeMessage.send: POST /cgi-bin/message/subscribe/send; 43101 is the user's refusal (no consent left)."""
    url = settings.JIANLI_WECHAT_ACCESS_TOKEN_URL.rstrip("/") + "/cgi-bin/message/subscribe/send"
    try:
        response = requests.post(
            url,
            params={"access_token": access_token()},
            json={
                "touser": openid, "template_id": template_id, "page": page,
                "data": {key: {"value": value} for key, value in data.items()},
                "miniprogram_state": settings.JIANLI_WECHAT_MINIPROGRAM_STATE, "lang": "zh_CN",
            },
            timeout=settings.JIANLI_PROVIDER_TIMEOUT,
        )
        body = response.json()
    except (requests.RequestException, ValueError) as e:
        raise WeChatError(-1, type(e).__name__) from None
    errcode = int(body.get("errcode") or 0) if isinstance(body, dict) else -1
    if errcode:
        raise WeChatError(errcode, str(body.get("errmsg", "")))
