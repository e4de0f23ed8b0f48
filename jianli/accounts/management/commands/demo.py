from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jianli import demo


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO:
            # Demo data includes known passwords and a packaged face: never in a real service.
            raise CommandError("仅演示环境可用（JIANLI_DEMO=1）")
        for who, login in demo.load():
            self.stdout.write(f"  {who}: {login}")
