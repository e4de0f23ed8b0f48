"""Time the roster import: N generated rows, then the same file again (which must change nothing).

    .venv/bin/python bench/import_qualifications.py [ROWS]     (default 100000)

Runs against a throw-away test database, on SQLite or on PostgreSQL when DATABASE_URL is set.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
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
    old = runner.setup_databases()
    try:
        with tempfile.TemporaryDirectory() as folder:
            source = write_roster(Path(folder) / "roster.csv", rows)
            print(f"{connection.vendor}: {rows} rows")
            for label in ("first import", "re-import"):
                started = time.perf_counter()
                report = roster.qualifications_import(source=source, today=TODAY, show_progress="--no-progress" not in sys.argv)
                print(f"  {label}: {time.perf_counter() - started:.1f} s — {report.summary()}")
    finally:
        runner.teardown_databases(old)


if __name__ == "__main__":
    main()
