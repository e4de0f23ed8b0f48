from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from jianli.accounts.operators import ModelAdmin
from jianli.notifications.models import Message
from jianli.notifications.tasks import deliver

FIELDS = ["created_at", "recipient_label", "text", "status", "attempts", "next_attempt_at", "sent_at", "delivered_at",
          "provider_id", "error", "request_id"]


@admin.register(Message)
class MessageAdmin(ModelAdmin):
    list_display = ["created_at", "recipient_label", "status", "attempts", "sent_at", "delivered_at", "error"]
    list_filter = ["status"]
    search_fields = ["recipient_label", "=application__number"]
    fields = FIELDS  # type: ignore[assignment]
    readonly_fields = FIELDS
    actions = ["resend"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="重新发送所选消息")
    def resend(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        pks = list(queryset.exclude(status=Message.Status.SENT).values_list("pk", flat=True))
        Message.objects.filter(pk__in=pks).update(status=Message.Status.QUEUED, next_attempt_at=timezone.now(), attempts=0)
        for pk in pks:
            deliver.enqueue(pk)
        messages.success(request, f"已重新排队 {len(pks)} 条消息。")
