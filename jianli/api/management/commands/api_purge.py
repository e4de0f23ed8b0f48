"""Delete spent API credentials and old idempotency records (run daily, e.g. from cron)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from jianli.api.models import ApiToken, IdempotencyRecord


class Command(BaseCommand):
    help = "删除已过期或已吊销的接口令牌，以及超过保留期的幂等记录"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--idempotency-hours", type=int, default=48)

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        # Revoked refresh tokens are kept until they expire: a replay must still be recognised as one.
        tokens, _ = ApiToken.objects.filter(expires_at__lte=now).delete()
        records, _ = IdempotencyRecord.objects.filter(
            created_at__lt=now - dt.timedelta(hours=options["idempotency_hours"])
        ).delete()
        self.stdout.write(f"tokens {tokens}, idempotency records {records}")
