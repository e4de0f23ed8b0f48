"""Where the production server's workers spend a request under load: py-spy samples them while wrk runs, and each
sample is counted in one part (PARTS).

    profile = under_load(master_pid, run_load, seconds)   # None when py-spy is not installed
"""

from __future__ import annotations

import collections
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Each sample goes to the first part its stack passes through (a template that runs a query counts as a
# database round trip): (label, what a frame's file path contains).
PARTS = (
    ("PostgreSQL round trips", "psycopg/"),
    ("templates", "django/template/"),
    ("ORM", "django/db/"),
    ("django-ninja + pydantic", "ninja/"),
    ("the rest: request cycle, middleware, Jianli's code", ""),
)


def under_load(pid: int, load: Callable[[], Any], seconds: int) -> dict[str, Any] | None:
    spy = shutil.which("py-spy") or str(Path(__file__).resolve().parent.parent / ".venv/bin/py-spy")
    if not Path(spy).exists():
        return None
    with tempfile.NamedTemporaryFile(suffix=".txt") as out:
        recorder = subprocess.Popen(
            [spy, "record", "--pid", str(pid), "--subprocesses", "--nonblocking", "--format", "raw",
             "--rate", "200", "--duration", str(seconds), "--output", out.name],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        load()
        recorder.wait(timeout=seconds + 60)
        return summary(Path(out.name).read_text())


def summary(raw: str) -> dict[str, Any]:
    """py-spy's raw lines ("frame;frame;... count", a frame "function (file:line)") as shares of the samples taken
    while a worker handled a request. Samples are of wall time: on a machine whose cores the database and the
    load generator share, a worker waiting for PostgreSQL or for a core shows where it waited."""
    total = 0
    parts: collections.Counter[str] = collections.Counter()
    leaves: collections.Counter[str] = collections.Counter()
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        if not count.isdigit() or not any("django/core/handlers/" in f for f in frames):
            continue  # not handling a request: gunicorn waiting for a connection, the arbiter
        n = int(count)
        total += n
        parts[next(label for label, marker in PARTS if any(marker in f for f in frames))] += n
        name, _, where = frames[-1].partition(" (")
        leaves[f"{name} ({where.rsplit('/', 1)[-1]}"] += n
    return {
        "samples": total,
        "parts": {label: round(100 * parts[label] / total) if total else 0 for label, _ in PARTS},
        "top": [[name, round(100 * n / total, 1)] for name, n in leaves.most_common(6)],
    }
