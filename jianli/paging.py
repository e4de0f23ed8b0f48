"""Keyset pagination on (submitted_at, id): stable under inserts and as fast on page 500 as on page 1."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Q, QuerySet
from django.utils.functional import cached_property

from jianli.registrations.models import Application

PAGE_SIZE = 20


@dataclass
class Page:
    rows: list[Application]
    next_cursor: str | None
    prev_cursor: str | None = None


def _parse(cursor: str, key: str = "submitted_at") -> tuple[dt.datetime | dt.date, int] | None:
    try:
        moment, pk = cursor.rsplit("_", 1)
        if key == "submitted_at":
            return dt.datetime.fromisoformat(moment), int(pk)
        return dt.date.fromisoformat(moment), int(pk)
    except (ValueError, TypeError):
        return None


def valid_cursor(cursor: str) -> bool:
    return _parse(cursor) is not None


def _cursor(row: Application, key: str) -> str:
    return f"{getattr(row, key).isoformat()}_{row.pk}"


def keyset_page(
    qs: QuerySet[Application], cursor: str, *, newest_first: bool, size: int = PAGE_SIZE, before: str = "",
    key: str = "submitted_at",
) -> Page:
    """One page after `cursor` (or before `before`: the previous page) in `key` order, then id."""
    qs = qs.exclude(**{key: None})
    back = _parse(before, key) if before else None
    bound = back or (_parse(cursor, key) if cursor else None)
    descending = newest_first != (back is not None)  # the previous page is read backwards from its bound
    if bound is not None:
        moment, pk = bound
        # The plain bound (<= / >=) lets the index scan start at the cursor; the OR alone would be a filter
        # over every row before it, so page 500 would read 500 pages of the index.
        if descending:
            qs = qs.filter(Q(**{f"{key}__lt": moment}) | Q(**{key: moment, "id__lt": pk}), **{f"{key}__lte": moment})
        else:
            qs = qs.filter(Q(**{f"{key}__gt": moment}) | Q(**{key: moment, "id__gt": pk}), **{f"{key}__gte": moment})
    order = (f"-{key}", "-id") if descending else (key, "id")
    rows = list(qs.order_by(*order)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if back is not None:
        rows.reverse()
        has_next, has_prev = True, more
    else:
        has_next, has_prev = more, bound is not None
    return Page(
        rows,
        _cursor(rows[-1], key) if rows and has_next else None,
        _cursor(rows[0], key) if rows and has_prev else None,
    )


class EstimatedCountPaginator(Paginator):
    """The admin's paginator for tables of millions: an unfiltered list on PostgreSQL takes the planner's row
    estimate (pg_class.reltuples) instead of COUNT(*), which reads the whole table on every page."""

    EXACT_BELOW = 10_000

    @cached_property
    def count(self) -> int:
        qs = self.object_list
        if isinstance(qs, QuerySet) and not qs.query.where and connections[qs.db].vendor == "postgresql":
            with connections[qs.db].cursor() as cursor:
                cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [qs.model._meta.db_table])
                row = cursor.fetchone()
            if row and row[0] >= self.EXACT_BELOW:
                return int(row[0])
        return super().count
