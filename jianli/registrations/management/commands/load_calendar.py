from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jianli.registrations import calendar


class Command(BaseCommand):
    help = "载入工作日历（法定节假日与调休上班日），默认读取 data/calendar/*.json"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", type=Path)

    def handle(self, *args: Any, files: list[Path], **options: Any) -> None:
        loaded = [calendar.load_year_file(f) for f in files] if files else calendar.load_all()
        for year, rows in loaded:
            self.stdout.write(f"{year}: {rows} 天")
