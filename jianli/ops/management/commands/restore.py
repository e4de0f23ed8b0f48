from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jianli.ops.backup import BackupError, restore, verify


class Command(BaseCommand):
    help = "恢复：把备份装入空的数据库和空的文件存储，然后逐一打开每个办件、附件和照片核对（密钥取自环境变量）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("src", type=Path, nargs="?")
        parser.add_argument("--verify-only", action="store_true", help="only open everything in the current data")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            counts = verify() if options["verify_only"] else restore(options["src"])
        except BackupError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(json.dumps(counts))
