import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Jianli with its background task worker (embedded: runserver; --production: gunicorn)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--addr", default=os.environ.get("JIANLI_ADDR", "127.0.0.1:8000"))
        parser.add_argument("--production", action="store_true")
        parser.add_argument("--workers", type=int, default=int(os.environ.get("JIANLI_WORKERS", "3")))
        parser.add_argument("--no-worker", action="store_true", help="do not start the task worker")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        worker = None
        if not options["no_worker"] and settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db"):
            worker = subprocess.Popen([sys.executable, "-m", "jianli", "db_worker", "--interval", "1"])
        try:
            if options["production"]:
                call_command("collectstatic", interactive=False, verbosity=0)
                call_command("createcachetable", verbosity=0)  # JIANLI_CACHE=database; nothing otherwise
                os.execvp(
                    sys.executable,
                    [sys.executable, "-m", "gunicorn", "jianli.wsgi", "-b", options["addr"],
                     "-w", str(options["workers"]), "--access-logfile", "-"],
                )
            self.stdout.write(f"Jianli: http://{options['addr']}/")
            call_command("runserver", options["addr"], use_reloader=False)
        finally:
            if worker is not None:
                worker.terminate()
