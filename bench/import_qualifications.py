"""Time the roster import: N generated rows, then the same file again (which must change nothing).

    .venv/bin/python bench/import_qualifications.py [ROWS] [--memory]     (default 100000)

--memory reports the peak of Python's allocations during each import (tracemalloc: slower, same result).

Runs against a throw-away test database, on SQLite or on PostgreSQL when DATABASE_URL is set.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianli.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import get_runner  # noqa: E402


def main() -> None:
    numbers = [a for a in sys.argv[1:] if a.isdigit()]
    rows = int(numbers[0]) if numbers else 100_000
    from jianli.registrations import roster
    from jianli.registrations.tests.test_roster import TODAY, write_roster

    runner = get_runner(settings)(verbosity=0, interactive=False)
    # As in production (and under the test runner): with DEBUG on, Django keeps the last 9000 statements' text,
    # each 1000-row INSERT a few hundred KB, which is what a debug run's memory would show.
    settings.DEBUG = False
    old = runner.setup_databases()
    try:
        with tempfile.TemporaryDirectory() as folder:
            source = write_roster(Path(folder) / "roster.csv", rows)
            print(f"{connection.vendor}: {rows} rows")
            for label in ("first import", "re-import"):
                if "--memory" in sys.argv:
                    tracemalloc.start()
                started = time.perf_counter()
                report = roster.qualifications_import(source=source, today=TODAY, show_progress="--no-progress" not in sys.argv)
                peak = ""
                if "--memory" in sys.argv:
                    peak = f", peak {tracemalloc.get_traced_memory()[1] / 2**20:.1f} MiB allocated"
                    tracemalloc.stop()
                print(f"  {label}: {time.perf_counter() - started:.1f} s{peak} — {report.summary()}")
    finally:
        runner.teardown_databases(old)


if __name__ == "__main__":
    main()
