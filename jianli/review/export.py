"""Excel export of the review queue and the register for the ministry (openpyxl write-only: rows go from a
database cursor straight to a temporary file, so memory stays flat with the number of rows; bench/export_memory.py).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook

from jianli.registrations.models import Application, BusinessType, Registration, State

CHUNK = 2000
QUEUE_HEADER = ["办件编号", "业务类型", "状态", "申请人", "聘用单位", "统一社会信用代码", "提交时间", "企业上报时间",
                "办结期限", "办结时间"]
REGISTER_HEADER = ["注册号", "姓名", "注册专业", "聘用单位", "统一社会信用代码", "有效期起", "有效期至", "状态"]


def _local(value: Any) -> Any:
    return timezone.localtime(value).replace(tzinfo=None) if value is not None else None


def queue_rows(queryset: QuerySet[Application]) -> Iterator[list[Any]]:
    types, states = dict(BusinessType.choices), dict(State.choices)
    rows = queryset.order_by("submitted_at", "id").values_list(
        "number", "business_type", "state", "applicant__name", "employer__name", "employer__uscc",
        "submitted_at", "reported_at", "deadline", "decided_at",
    )
    for number, kind, state, name, employer, uscc, submitted, reported, deadline, decided in rows.iterator(CHUNK):
        yield [number, types.get(kind, kind), states.get(state, state), name, employer, uscc,
               _local(submitted), _local(reported), deadline, _local(decided)]


def register_rows(queryset: QuerySet[Registration] | None = None) -> Iterator[list[Any]]:
    statuses = dict(Registration.Status.choices)
    qs = queryset if queryset is not None else Registration.objects.all()
    rows = qs.order_by("number").values_list(
        "number", "applicant__name", "specialties", "employer__name", "employer__uscc", "valid_from", "valid_until",
        "status",
    )
    for number, name, specialties, employer, uscc, start, until, status in rows.iterator(CHUNK):
        yield [number, name, "、".join(specialties or []), employer, uscc, start, until, statuses.get(status, status)]


def write_xlsx(title: str, header: list[str], rows: Iterable[list[Any]]) -> IO[bytes]:
    """A workbook of one sheet in a temporary file (deleted when closed), positioned at its start."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = tempfile.TemporaryFile()
    workbook.save(out)
    out.seek(0)
    return out
