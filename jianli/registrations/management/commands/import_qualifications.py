from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jianli.errors import ServiceError
from jianli.registrations import roster

SHOWN = 20


class Command(BaseCommand):
    help = (
        "导入监理工程师职业资格库（CSV：certificate_number,name,id_number,category,obtained_on）。"
        "按资格证书编号新增或更新，可重复导入；被拒绝的行写入 <文件>.rejected.csv"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--batch-size", type=int, default=roster.BATCH_SIZE)
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args: Any, file: Path, batch_size: int, no_progress: bool, **options: Any) -> None:
        if not file.is_file():
            raise CommandError(f"找不到文件：{file}")
        try:
            report = roster.qualifications_import(
                source=file, batch_size=batch_size, show_progress=not no_progress and options["verbosity"] > 0
            )
        except ServiceError as e:
            raise CommandError(e.message) from e
        self.stdout.write(report.summary())
        for r in report.rejected[:SHOWN]:
            self.stdout.write(f"  第{r.line}行 {r.certificate_number}：{r.reason}")
        if len(report.rejected) > SHOWN:
            self.stdout.write(f"  ……另有 {len(report.rejected) - SHOWN} 行")
        if report.report_path:
            self.stdout.write(f"被拒绝的行已写入 {report.report_path}")
        elif report.rejected:
            self.stdout.write(roster.rejected_csv(report.rejected))
