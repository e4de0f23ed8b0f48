"""Mini-program sign-in: the platform's login code becomes an openid bound to the platform user (头像和昵称)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from jianli import wechat
from jianli.accounts import services as accounts
from jianli.accounts.models import PlatformIdentity
from jianli.api.auth import profile_auth
from jianli.api.errors import errors
from jianli.api.schemas import PlatformSessionIn, PlatformSessionOut, SubscriptionIn, SubscriptionOut
from jianli.errors import ServiceError
from jianli.notifications import subscriptions

router = Router(tags=["申请人：进入"])

CODE_REFUSED = {
    wechat.INVALID_CODE: "登录凭证无效或已过期，请重新进入小程序。",
    wechat.CODE_USED: "登录凭证已使用过，请重新进入小程序。",
}


def wechat_session_bind(*, profile: Any, code: str) -> PlatformIdentity:
    try:
        session = wechat.code_to_session(code)
    except wechat.WeChatError as e:
        if e.errcode in CODE_REFUSED:
            raise ServiceError(
                "invalid", CODE_REFUSED[e.errcode], fields={"code": CODE_REFUSED[e.errcode]}, status=422
            ) from None
        if e.errcode == wechat.RATE_LIMITED:
            raise ServiceError("rate_limited", "微信登录过于频繁，请稍后再试。", status=429) from None
        raise ServiceError("wechat_unavailable", "微信登录暂时不可用，请稍后再试。", status=503) from None
    return accounts.platform_identity_bind(
        profile=profile,
        platform=PlatformIdentity.Platform.WECHAT,
        openid=session.openid,
        unionid=session.unionid,
    )


@router.post(
    "wechat/session",
    auth=profile_auth,
    response={200: PlatformSessionOut, **errors(400, 401, 403, 422, 429, 503)},
    summary="微信登录：用 wx.login 的 code 换取 openid 并绑定到当前平台用户",
)
def wechat_session(request: HttpRequest, payload: PlatformSessionIn) -> dict[str, Any]:
    profile = request.auth.profile  # type: ignore[attr-defined]
    if profile is None:
        raise ServiceError("profile_required", "请先设置头像和昵称。", status=403)
    identity = wechat_session_bind(profile=profile, code=payload.code)
    return {"platform": identity.platform, "bound": True, "has_unionid": bool(identity.unionid)}


@router.post(
    "wechat/subscriptions",
    auth=profile_auth,
    response={200: list[SubscriptionOut], **errors(400, 401, 403, 422, 429)},
    summary="记录订阅消息授权（wx.requestSubscribeMessage 的结果，按模板）",
)
def subscription_record(request: HttpRequest, payload: SubscriptionIn) -> list[dict[str, Any]]:
    profile = request.auth.profile  # type: ignore[attr-defined]
    if profile is None:
        raise ServiceError("profile_required", "请先设置头像和昵称。", status=403)
    consents = subscriptions.consent_record(profile=profile, answers=payload.answers)
    return [{"template_id": c.template_id, "answer": c.answer, "remaining": c.remaining} for c in consents]
