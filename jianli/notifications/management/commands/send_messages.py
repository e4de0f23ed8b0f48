from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jianli.notifications.tasks import retry_due


class Command(BaseCommand):
    help = "重新发送到期的待发送消息（短信失败后按退避时间重试），可由 cron 每分钟运行"

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"已排队 {retry_due()} 条消息")
