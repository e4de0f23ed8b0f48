from typing import Any

from django.core.management.base import BaseCommand

from jianli.registrations import counts


class Command(BaseCommand):
    help = "重新统计各状态办件数（批量导入或恢复数据后运行）"

    def handle(self, *args: Any, **options: Any) -> None:
        n = counts.rebuild()
        self.stdout.write(f"已统计 {n} 件办件")
