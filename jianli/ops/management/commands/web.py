from __future__ import annotations

import os
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connections
from django.urls import get_resolver
from gunicorn.app.base import BaseApplication


class Command(BaseCommand):
    help = "网页进程：gunicorn（进程数取自 JIANLI_WEB_WORKERS，默认等于 CPU 核数）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default=os.environ.get("JIANLI_ADDR", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=web_workers())
        parser.add_argument("--no-collectstatic", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)  # JIANLI_CACHE=database; nothing otherwise
        # Workers are forked from this process: a database connection opened above (checks, the cache table)
        # would be one socket shared by every worker, each reading the others' rows.
        connections.close_all()
        gunicorn(options["addr"], options["workers"]).run()


def web_workers() -> int:
    value = os.environ.get("JIANLI_WEB_WORKERS") or os.environ.get("JIANLI_WORKERS")
    return int(value) if value else (os.cpu_count() or 1)


def gunicorn(addr: str, workers: int) -> Any:
    """Gunicorn's arbiter in this process (no exec): its signals and exit are this command's."""
    class Web(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            options = {
                "bind": addr,
                "workers": workers,
                "accesslog": "-",
                "timeout": int(os.environ.get("JIANLI_WEB_TIMEOUT", "30")),
                "graceful_timeout": int(os.environ.get("JIANLI_WEB_GRACEFUL_TIMEOUT", "10")),
                "control_socket_disable": True,
                # The app is imported once, here, and each worker forked ready: a worker that dies (kill -9, out
                # of memory) is replaced in milliseconds instead of re-importing Django (seconds on a busy host).
                "preload_app": True,
            }
            for key, value in options.items():
                if key in self.cfg.settings:
                    self.cfg.set(key, value)

        def load(self) -> Any:
            from jianli.identity import faces
            from jianli.wsgi import (
                application,  # load order: importing jianli.wsgi builds the app, when gunicorn asks
            )

            # Forked with the face models loaded and set up, and every view and API schema imported: no worker's
            # first request waits about a second for them.
            faces.models_ready()
            get_resolver().url_patterns  # noqa: B018
            return application

    return Web()
