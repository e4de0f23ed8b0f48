from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jianli import pii_rotation


class Command(BaseCommand):
    help = (
        "把所有加密字段和加密文件（证件照、头像、附件）重新加密为 JIANLI_PII_KEY 中的第一个（最新）密钥。"
        "可随时中断，再次运行即从中断处继续；--verify 逐项核验均可仅用最新密钥解密"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=pii_rotation.BATCH_SIZE)
        parser.add_argument("--limit", type=int, default=None, help="本次最多处理的行和文件数")
        parser.add_argument("--verify", action="store_true", help="只核验，不修改")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args: Any, batch_size: int, limit: int | None, verify: bool, no_progress: bool,
               **options: Any) -> None:
        if batch_size < 1 or (limit is not None and limit < 1):
            raise CommandError("--batch-size 和 --limit 须为正整数")
        show = not no_progress and options["verbosity"] > 0
        if verify:
            result = pii_rotation.verify(batch_size=batch_size, show_progress=show)
            self.stdout.write(result.summary())
            for item in result.unreadable[:20]:
                self.stdout.write(f"  无法解密：{item}")
            if result.stale or result.unreadable:
                raise CommandError(f"{result.stale} 项未使用最新密钥，{len(result.unreadable)} 项无法解密：请勿移除旧密钥")
            return
        self.stdout.write(pii_rotation.rotate_all(batch_size=batch_size, limit=limit, show_progress=show).summary())
