"""Working days of mainland China: Monday to Friday, except public holidays and make-up working days (调休).

The exceptions are CalendarDay rows, loaded from data/calendar/YYYY.json by `jianli load-calendar`. Each year's
exceptions are kept in each process for `CACHE_SECONDS` (deadlines are computed on every queue row), so a reloaded
calendar reaches every app server within ten minutes (at once in the process that loaded it).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

from django.conf import settings
from django.db import transaction

from jianli.registrations.models import CalendarDay

DATA_DIR = Path(settings.BASE_DIR) / "data" / "calendar"


CACHE_SECONDS = 600
_cache: dict[int, tuple[float, dict[dt.date, bool]]] = {}


def _exceptions(year: int) -> dict[dt.date, bool]:
    # Per process, refreshed every few minutes so that a reloaded calendar reaches every server.
    now = time.monotonic()
    hit = _cache.get(year)
    if hit is not None and now - hit[0] < CACHE_SECONDS:
        return hit[1]
    rows = dict(CalendarDay.objects.filter(date__year=year).values_list("date", "is_working_day"))
    _cache[year] = (now, rows)
    return rows


def clear_cache() -> None:
    _cache.clear()


def is_working_day(day: dt.date) -> bool:
    exception = _exceptions(day.year).get(day)
    if exception is not None:
        return exception
    return day.weekday() < 5


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The n-th working day after `start` (n = 0 gives `start` itself)."""
    day = start
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    while remaining:
        day += dt.timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(a: dt.date, b: dt.date) -> int:
    """Working days in (a, b]: how many working days pass from a to b; negative when b is before a."""
    if b < a:
        return -working_days_between(b, a)
    count = 0
    day = a
    while day < b:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def load_year_file(path: Path) -> tuple[int, int]:
    """Replace one year's CalendarDay rows with the file's; returns (year, rows)."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    year = int(doc["year"])
    rows = [
        CalendarDay(date=dt.date.fromisoformat(d["date"]), is_working_day=bool(d["working"]), name=d.get("name", ""))
        for d in doc["days"]
    ]
    if any(r.date.year != year for r in rows):
        raise ValueError(f"{path.name}: a date outside {year}")
    with transaction.atomic():
        CalendarDay.objects.filter(date__year=year).delete()
        CalendarDay.objects.bulk_create(rows)
    clear_cache()
    return year, len(rows)


def load_all(directory: Path = DATA_DIR) -> list[tuple[int, int]]:
    return [load_year_file(p) for p in sorted(directory.glob("*.json"))]
