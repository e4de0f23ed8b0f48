"""What each transition tells whom. Messages go to the outbox and are delivered by a background task."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from jianli.accounts.models import Profile
from jianli.notifications import subscriptions
from jianli.notifications.models import Message
from jianli.notifications.tasks import deliver
from jianli.ops import metrics
from jianli.ops.context import current_request_id
from jianli.registrations.models import Application, BusinessType
from jianli.registrations.spec import SPECS

TEXTS = {
    "submit": "【住建部政务服务】您的监理工程师{type}申请（办件编号{number}）已提交，待{employer}确认上报。",
    "report": "【住建部政务服务】您的办件{number}已由{employer}上报，待部级审核。",
    "return": "【住建部政务服务】您的办件{number}已被{employer}退回，请登录查看原因并修改后重新提交。",
    "resubmit": "【住建部政务服务】您的办件{number}已重新提交，待{employer}确认上报。",
    "withdraw": "【住建部政务服务】您的办件{number}已撤回。",
    "request_correction": "【住建部政务服务】您的办件{number}需要补正材料，请登录按一次性告知的事项修改后提交。",
    "resubmit_correction": "【住建部政务服务】您的办件{number}补正材料已提交。",
    "approve": "【住建部政务服务】您的办件{number}已审核通过，{approved}。",
    "reject": "【住建部政务服务】您的办件{number}审核未通过，{rejected}，请登录查看原因。",
    "close": "【住建部政务服务】您的{type}申请（办件编号{number}）所依据的注册已注销或失效，终止办理，请登录查看。",
}

EMPLOYER_TEXT = "【住建部政务服务】{name}的监理工程师{type}申请（办件编号{number}）待贵单位确认上报，请登录企业上报系统办理。"


def queue(*, mobile: str, text: str, recipient: str, application_id: int | None = None) -> Message:
    message = Message.objects.create(
        application_id=application_id, mobile=mobile, text=text, recipient_label=recipient,
        request_id=current_request_id(),
    )
    # robust: the transition has committed; if the queue cannot be reached now, send-messages enqueues it later.
    transaction.on_commit(lambda: deliver.enqueue(message.pk), robust=True)
    return message


def subscription_on_commit(*, profile: Profile | None, kind: str, page: str, data: dict[str, str]) -> None:
    """A subscription message beside the SMS, once the transaction that caused it has committed."""
    transaction.on_commit(lambda: subscriptions.send(profile=profile, kind=kind, page=page, data=data))


def notify_transition(application: Application, action: str) -> Message | None:
    """The applicant's SMS (and subscription message) on `application`'s transition just saved; the employer's
    contact's when the application now waits for the employer."""
    template = TEXTS.get(action)
    if template is None:
        return None
    spec = SPECS[BusinessType(application.business_type)]
    text = template.format(
        approved=spec.approved_words,
        rejected=spec.rejected_words,
        type=application.get_business_type_display(),
        number=application.number or "",
        employer=application.employer.name if application.employer else "聘用单位",
    )
    message = queue(
        mobile=application.applicant.mobile,
        text=text,
        recipient=application.applicant.name,
        application_id=application.pk,
    )
    subscription_on_commit(
        profile=getattr(application.applicant, "profile", None), kind="progress",
        page=f"pages/progress/progress?id={application.pk}",
        data={"thing1": "监理工程师执业资格认定"[:20], "phrase2": application.get_state_display()[:5],
              "character_string3": (application.number or "")[:32]},
    )
    employer = application.employer
    if application.state == "awaiting_employer" and employer is not None and employer.contact_mobile:
        queue(
            mobile=employer.contact_mobile,
            text=EMPLOYER_TEXT.format(name=application.applicant.name, type=application.get_business_type_display(),
                                      number=application.number or ""),
            recipient=employer.name,
            application_id=application.pk,
        )
    return message


def receipts_apply(*, provider: str, receipts: list[tuple[str, bool, str]]) -> int:
    """Delivery receipts (回执): a sent message becomes 已送达 or 发送失败; repeats change nothing."""
    changed = 0
    for provider_id, delivered, reason in receipts:
        updated = Message.objects.filter(provider_id=provider_id, status=Message.Status.SENT).update(
            status=Message.Status.DELIVERED if delivered else Message.Status.FAILED,
            delivered_at=timezone.now() if delivered else None,
            error="" if delivered else f"{provider}: {reason}"[:200],
        )
        if updated:
            metrics.sms.labels(status="delivered" if delivered else "undelivered").inc()
        changed += updated
    return changed
