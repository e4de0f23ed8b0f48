from django.core.management.base import BaseCommand

from jianli import demo


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the demo logins."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        for who, login in demo.load():
            self.stdout.write(f"  {who}: {login}")
