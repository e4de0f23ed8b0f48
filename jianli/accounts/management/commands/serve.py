import os
import signal
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from jianli.ops.management.commands.web import web_workers
from jianli.ops.supervise import Supervisor


class Command(BaseCommand):
    help = (
        "Everything in one command (the demo): the pages (runserver, or with --production `jianli web`), the task "
        "worker and the scheduler, restarted when they exit and stopped with it. Production runs each separately."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default=os.environ.get("JIANLI_ADDR", "127.0.0.1:8000"))
        parser.add_argument("--production", action="store_true")
        parser.add_argument("--workers", type=int, default=web_workers())
        parser.add_argument("--no-worker", action="store_true", help="do not start the task worker or scheduler")

    def handle(self, *args: Any, **options: Any) -> None:
        jianli = [sys.executable, "-m", "jianli"]
        children = Supervisor()
        if not options["no_worker"]:
            if settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db"):
                children.add("worker", [*jianli, "worker", "--interval", "1"])
            children.add("scheduler", [*jianli, "scheduler"])
        if options["production"]:
            children.add("web", [*jianli, "web", "--addr", options["addr"], "--workers", str(options["workers"])])
        # SIGTERM (systemd, docker, kill) unwinds like Ctrl+C, so the children are always stopped.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            children.start_all()
            if options["production"]:
                children.watch()
            else:
                children.watch_in_thread()
                self.stdout.write(f"Jianli: http://{options['addr']}/")
                call_command("runserver", options["addr"], use_reloader=False)
        finally:
            children.stop_all()
