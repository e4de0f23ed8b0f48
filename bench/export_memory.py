"""Peak memory of the register's Excel export (openpyxl write-only, rows from a database cursor) at 10⁴ and 10⁵ rows.

    .venv/bin/python bench/export_memory.py [ROWS ...]      (default: 10000 100000)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jianli .venv/bin/python bench/export_memory.py

Runs against a throw-away test database. Peak is Python's own allocations during the export (tracemalloc), which
is what grows if rows were kept; it should stay flat (within 20 %) from 10⁴ to 10⁵ rows. (tracemalloc slows
the export several times: the seconds printed are not the export's speed.)
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianli.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import get_runner, setup_test_environment  # noqa: E402

SPECIALTIES = ["房屋建筑工程", "市政公用工程", "机电安装工程", "公路工程"]


def fill(total: int) -> None:
    """Registrations up to `total` rows (people, 100 employers), added in batches."""
    from jianli import testing
    from jianli.accounts.models import Applicant
    from jianli.employers.models import Employer
    from jianli.registrations.models import Registration

    employers = list(Employer.objects.all()) or Employer.objects.bulk_create(
        [Employer(uscc=testing.uscc(n), name=f"测试工程监理有限公司{n:03d}") for n in range(100)]
    )
    start = Registration.objects.count()
    for base in range(start, total, 5000):
        stop = min(base + 5000, total)
        people = Applicant.objects.bulk_create([
            Applicant(name=f"工程师{i}", id_number=f"11010119800101{i:04d}"[-18:], mobile="13800138000",
                      id_hash=f"bench-{i}", mobile_hash="bench")
            for i in range(base, stop)
        ])
        Registration.objects.bulk_create([
            Registration(number=f"11{2020 + i % 5}{i:08d}", applicant=p, employer=employers[i % len(employers)],
                         specialties=SPECIALTIES[i % 3:i % 3 + 2], valid_from=dt.date(2025, 1, 1),
                         valid_until=dt.date(2027, 12, 31))
            for i, p in zip(range(base, stop), people, strict=True)
        ])


def measure() -> tuple[float, float, int]:
    import openpyxl  # noqa: F401  (imports are not the export's memory)

    from jianli.review import export

    export.write_xlsx("warm-up", export.REGISTER_HEADER, [["1"] * 8]).close()
    tracemalloc.start()
    began = time.perf_counter()
    out = export.write_xlsx("注册人员", export.REGISTER_HEADER, export.register_rows())
    seconds = time.perf_counter() - began
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    size = out.seek(0, 2)
    out.close()
    return peak / 2**20, seconds, size


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:] if a.isdigit()] or [10_000, 100_000]
    setup_test_environment()
    runner = get_runner(settings)(verbosity=0, interactive=False)
    old = runner.setup_databases()
    try:
        print(f"{connection.vendor}: register export, openpyxl write-only")
        peaks = []
        for rows in sorted(sizes):
            fill(rows)
            peak, seconds, size = measure()
            peaks.append(peak)
            print(f"{rows:>8} rows: peak {peak:6.2f} MiB, {seconds:6.1f} s, file {size / 2**20:5.1f} MiB")
        if len(peaks) > 1:
            growth = peaks[-1] / peaks[0] - 1
            print(f"peak grows {growth:+.0%} from the smallest to the largest ({'flat' if growth <= 0.2 else 'NOT flat'})")
    finally:
        runner.teardown_databases(old)


if __name__ == "__main__":
    main()
