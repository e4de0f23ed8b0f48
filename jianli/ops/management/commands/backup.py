from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jianli.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份：数据库（pg_dump）、存储的文件（加密原样）和密钥（keys.env，须与备份分开保管）到一个空文件夹"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dest", type=Path)
        parser.add_argument("--no-keys", action="store_true", help="leave the key ring out (kept elsewhere)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self.stdout.write(json.dumps(backup(options["dest"], keys=not options["no_keys"])))
        except BackupError as e:
            raise CommandError(str(e)) from e
