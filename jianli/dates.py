"""The one way dates are written to people (as the seed writes them): 2026年1月5日 in sentences, 2026/01/05 in
tables, lists of facts and timelines. The pages have them as filters of the same names."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def _local(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def prose_date(value: dt.date | dt.datetime | None) -> str:
    """2026年1月5日"""
    if not value:
        return ""
    value = _local(value)
    return f"{value.year}年{value.month}月{value.day}日"


def table_date(value: dt.date | dt.datetime | None) -> str:
    """2026/01/05"""
    if not value:
        return ""
    return f"{_local(value):%Y/%m/%d}"


def table_time(value: dt.datetime | None) -> str:
    """2026/01/05 14:30"""
    if not value:
        return ""
    return f"{_local(value):%Y/%m/%d %H:%M}"
