from __future__ import annotations

import signal
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jianli.ops.scheduler import run_forever


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # `jianli web` runs them; a worker should start fast
    help = "定时任务进程：到期短信重试（按退避时间）、过期数据清理"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run every job once and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        run_forever(once=options["once"])
