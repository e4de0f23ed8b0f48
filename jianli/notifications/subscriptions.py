"""订阅消息: the mini program's notification channel beside SMS. The user's answers to wx.requestSubscribeMessage
are recorded per template; a transition sends one message per accepted answer through subscribeMessage.send."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from django.conf import settings
from django.db import transaction
from django.db.models import F

from jianli import wechat
from jianli.accounts.models import Profile
from jianli.accounts.services import platform_openid
from jianli.errors import ServiceError
from jianli.notifications.models import SubscriptionConsent

log = logging.getLogger(__name__)


def consent_record(*, profile: Profile, answers: Mapping[str, str]) -> list[SubscriptionConsent]:
    """Record wx.requestSubscribeMessage's answers ({template_id: accept|reject|ban}) for our templates."""
    known = set(settings.JIANLI_WECHAT_TEMPLATES.values())
    unknown = [t for t in answers if t not in known]
    if unknown:
        raise ServiceError("invalid", "请检查填写的信息。", fields={"answers": "不是本服务的消息模板"}, status=422)
    recorded = []
    with transaction.atomic():
        for template_id, answer in answers.items():
            consent, _ = SubscriptionConsent.objects.select_for_update().get_or_create(
                profile=profile, platform="wechat", template_id=template_id,
                defaults={"answer": answer},
            )
            consent.answer = answer
            consent.remaining = consent.remaining + 1 if answer == SubscriptionConsent.Answer.ACCEPT else 0
            consent.save()
            recorded.append(consent)
    return recorded


def send(*, profile: Profile | None, kind: str, data: dict[str, str], page: str = "pages/index/index") -> bool:
    """Send one subscription message of `kind` (a JIANLI_WECHAT_TEMPLATES key) if the user allowed one.
    SMS stays the channel of record: a refusal or an outage here is logged, never raised."""
    template_id = settings.JIANLI_WECHAT_TEMPLATES.get(kind)
    openid = platform_openid(profile, "wechat")
    if not (template_id and openid and profile):
        return False
    taken = SubscriptionConsent.objects.filter(
        profile=profile, platform="wechat", template_id=template_id,
        answer=SubscriptionConsent.Answer.ACCEPT, remaining__gt=0,
    ).update(remaining=F("remaining") - 1)
    if not taken:
        return False
    try:
        wechat.subscribe_message_send(openid=openid, template_id=template_id, page=page, data=data)
    except wechat.WeChatError as e:
        log.warning("subscription message %s not sent: %s", kind, e)
        if e.errcode == wechat.USER_REFUSED:
            SubscriptionConsent.objects.filter(profile=profile, template_id=template_id).update(remaining=0)
        return False
    return True
