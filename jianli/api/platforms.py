"""Mini-program sign-in: the platform's login code becomes an openid bound to the platform user (头像和昵称)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ninja import Router

from jianli import wechat
from jianli.accounts import services as accounts
from jianli.accounts.models import PlatformIdentity
from jianli.api.auth import profile_auth
from jianli.api.errors import errors
from jianli.api.schemas import PlatformSessionIn, PlatformSessionOut, SubscriptionIn, SubscriptionOut
from jianli.errors import ServiceError
from jianli.http import JianliRequest
from jianli.notifications import subscriptions

router = Router(tags=["申请人：进入"])


class Refused(Exception):
    """A platform refused a login code: kind is invalid, used, rate_limited or unavailable."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


@dataclass(frozen=True)
class SignIn:
    """A mini-program platform's login: its code (wx.login, my.getAuthCode) becomes (openid, unionid).
    Alipay is one more entry in SIGN_INS (alipay.system.oauth.token) and one more route below."""

    platform: str  # a PlatformIdentity.Platform value
    label: str
    exchange: Callable[[str], tuple[str, str]]


def _wechat_exchange(code: str) -> tuple[str, str]:
    try:
        session = wechat.code_to_session(code)
    except wechat.WeChatError as e:
        kinds = {wechat.INVALID_CODE: "invalid", wechat.CODE_USED: "used", wechat.RATE_LIMITED: "rate_limited"}
        raise Refused(kinds.get(e.errcode, "unavailable")) from None
    return session.openid, session.unionid


SIGN_INS = {"wechat": SignIn("wechat", "微信", _wechat_exchange)}

CODE_REFUSED = {
    "invalid": "登录凭证无效或已过期，请重新进入小程序。",
    "used": "登录凭证已使用过，请重新进入小程序。",
}


def platform_session_bind(*, sign_in: SignIn, profile: Any, code: str) -> PlatformIdentity:
    try:
        openid, unionid = sign_in.exchange(code)
    except Refused as e:
        if e.kind in CODE_REFUSED:
            message = CODE_REFUSED[e.kind]
            raise ServiceError("invalid", message, fields={"code": message}, status=422) from None
        if e.kind == "rate_limited":
            raise ServiceError("rate_limited", f"{sign_in.label}登录过于频繁，请稍后再试。", status=429) from None
        raise ServiceError(
            f"{sign_in.platform}_unavailable", f"{sign_in.label}登录暂时不可用，请稍后再试。", status=503
        ) from None
    return accounts.platform_identity_bind(
        profile=profile, platform=sign_in.platform, openid=openid, unionid=unionid
    )


def _session(request: JianliRequest, platform: str, code: str) -> dict[str, Any]:
    profile = request.auth.profile
    if profile is None:
        raise ServiceError("profile_required", "请先设置头像和昵称。", status=403)
    identity = platform_session_bind(sign_in=SIGN_INS[platform], profile=profile, code=code)
    return {"platform": identity.platform, "bound": True, "has_unionid": bool(identity.unionid)}


@router.post(
    "wechat/session",
    auth=profile_auth,
    response={200: PlatformSessionOut, **errors(400, 401, 403, 422, 429, 503)},
    summary="微信登录：用 wx.login 的 code 换取 openid 并绑定到当前平台用户",
)
def wechat_session(request: JianliRequest, payload: PlatformSessionIn) -> dict[str, Any]:
    return _session(request, "wechat", payload.code)


@router.post(
    "wechat/subscriptions",
    auth=profile_auth,
    response={200: list[SubscriptionOut], **errors(400, 401, 403, 422, 429)},
    summary="记录订阅消息授权（wx.requestSubscribeMessage 的结果，按模板）",
)
def subscription_record(request: JianliRequest, payload: SubscriptionIn) -> list[dict[str, Any]]:
    profile = request.auth.profile
    if profile is None:
        raise ServiceError("profile_required", "请先设置头像和昵称。", status=403)
    consents = subscriptions.consent_record(profile=profile, answers=payload.answers)
    return [{"template_id": c.template_id, "answer": c.answer, "remaining": c.remaining} for c in consents]
