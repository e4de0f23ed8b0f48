from __future__ import annotations

from django.db import models
from django.utils import timezone

from jianli import pii


class Message(models.Model):
    """An outbox row: one SMS to one recipient, with its delivery status and retries."""

    class Status(models.TextChoices):
        QUEUED = "queued", "待发送"
        SENT = "sent", "已发送"
        DELIVERED = "delivered", "已送达"
        FAILED = "failed", "发送失败"

    application = models.ForeignKey(
        "registrations.Application", null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    recipient_label = models.CharField("收件人", max_length=100)
    mobile = pii.EncryptedTextField(purpose="message.mobile")
    text = models.TextField("内容")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    provider_id = models.CharField(max_length=100, blank=True)
    error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField("回执时间", null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "消息"
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="message_due"),
            models.Index(fields=["provider_id"], name="message_provider_id"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_label} {self.get_status_display()}"


class SubscriptionConsent(models.Model):
    """A platform user's answer to wx.requestSubscribeMessage for one template (订阅消息). Each "accept" of a
    one-time template allows one message; `remaining` counts them down as they are sent."""

    class Answer(models.TextChoices):
        ACCEPT = "accept", "允许"
        REJECT = "reject", "拒绝"
        BAN = "ban", "已被后台封禁"

    profile = models.ForeignKey("accounts.Profile", on_delete=models.CASCADE, related_name="subscriptions")
    platform = models.CharField(max_length=10, default="wechat")
    template_id = models.CharField(max_length=64)
    answer = models.CharField(max_length=10, choices=Answer.choices)
    remaining = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "订阅消息授权"
        constraints = [
            models.UniqueConstraint(fields=["profile", "platform", "template_id"], name="subscription_one_per_template")
        ]

    def __str__(self) -> str:
        return f"{self.template_id} {self.get_answer_display()} ({self.remaining})"
