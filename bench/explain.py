"""The plans PostgreSQL picks for the list pages' queries, over N generated applications.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jianli .venv/bin/python bench/explain.py [ROWS] [--full]

Runs against a throw-away test database. The queries are the ones the pages and the API run (captured from
requests, see tests/scale/plans.py); each is EXPLAIN ANALYZEd. Without --full only the scan and sort lines show.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianli.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import get_runner, setup_test_environment  # noqa: E402

KEY_LINES = ("Scan", "Sort Key", "Sort Method", "Execution Time")


def main() -> None:
    numbers = [a for a in sys.argv[1:] if a.isdigit()]
    rows = int(numbers[0]) if numbers else 20_000
    from tests.scale import plans

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    runner = get_runner(settings)(verbosity=0, interactive=False)
    old = runner.setup_databases()
    try:
        if connection.vendor != "postgresql":
            print("set DATABASE_URL to a PostgreSQL server: the plans are PostgreSQL's")
            return
        print(f"{connection.vendor}: {rows} applications")
        for p in plans.collect(plans.generate(rows)):
            print(f"\n--- {p.name}: {p.ms:.2f} ms")
            lines = p.plan.splitlines()
            print("\n".join(lines if "--full" in sys.argv else [x for x in lines if any(k in x for k in KEY_LINES)]))
    finally:
        runner.teardown_databases(old)


if __name__ == "__main__":
    main()
