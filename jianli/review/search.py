"""Finding a file: by 办件编号, 姓名 (prefix), 身份证号码 (its keyed hash: the number is stored encrypted) or 注册号.

Names are stored in clear (Applicant.name), so a name is found through a prefix index (applicant_name_prefix,
varchar_pattern_ops on PostgreSQL): 姓 alone or the whole name, never a scan of the applicants."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from jianli import pii, text
from jianli.accounts.models import Applicant
from jianli.errors import ServiceError
from jianli.identifiers import InvalidIdentifier, clean_id_number, normalise
from jianli.registrations.models import Application, Registration

KINDS = [("", "自动识别"), ("number", "办件编号"), ("name", "姓名"), ("id_number", "身份证号码"),
         ("registration", "注册号")]
ROWS = 50
PEOPLE = 200
# What a row of the queue or of the search results shows: not the 申报信息 (data, the largest column, parsed from
# JSON row by row) nor the applicant's encrypted columns.
ROW_COLUMNS = (
    "id", "number", "business_type", "state", "submitted_at", "deadline", "paused_at", "applicant", "applicant__name",
    "employer", "employer__name", "claimed_by", "claimed_by__first_name",
)
_NUMBER = re.compile(r"JL\d{8,20}")
_ID = re.compile(r"\d{17}[\dX]")
_REGISTRATION = re.compile(r"[0-9A-Z]{2}\d{12}")


@dataclass
class Found:
    kind: str
    rows: list[Application] = field(default_factory=list)
    applicant_ids: list[int] = field(default_factory=list)
    more: bool = False


def kind_of(query: str) -> str:
    """What a reviewer most likely typed."""
    q = normalise(query)
    if _NUMBER.fullmatch(q):
        return "number"
    if _ID.fullmatch(q):
        return "id_number"
    if _REGISTRATION.fullmatch(q):
        return "registration"
    return "name"


def _refuse(message: str) -> ServiceError:
    return ServiceError("invalid", message, fields={"q": message}, status=422)


def _applications(applicant_ids: list[int]) -> tuple[list[Application], bool]:
    rows = list(
        Application.objects.filter(applicant_id__in=applicant_ids).exclude(reported_at=None)
        .select_related("applicant", "employer", "claimed_by").only(*ROW_COLUMNS)
        .order_by("-submitted_at", "-id")[: ROWS + 1]
    )
    return rows[:ROWS], len(rows) > ROWS


def search(query: str, kind: str = "") -> Found:
    """The reported applications that match, newest first (at most ROWS); refusals name the field in Chinese."""
    if not query.strip():
        raise _refuse("请输入办件编号、姓名、身份证号码或注册号")
    text.check(query, field="q", label="查询内容", max_length=50)
    kind = kind if kind in dict(KINDS) and kind else kind_of(query)
    if kind == "number":
        rows = list(Application.objects.filter(number=normalise(query)).exclude(reported_at=None)
                    .select_related("applicant", "employer", "claimed_by").only(*ROW_COLUMNS))
        return Found(kind, rows, [a.applicant_id for a in rows])
    if kind == "id_number":
        try:
            number = clean_id_number(query)
        except InvalidIdentifier as e:
            raise _refuse(e.message) from e
        ids = list(Applicant.objects.filter(id_hash=pii.lookup_hash(number)).values_list("pk", flat=True))
    elif kind == "registration":
        ids = list(Registration.objects.filter(number=normalise(query)).values_list("applicant_id", flat=True))
    else:
        name = unicodedata.normalize("NFKC", query).strip()
        # No ORDER BY: the prefix index is in byte order, sorting 10⁵ people named 张 would read them all.
        ids = list(Applicant.objects.filter(name__startswith=name).order_by().values_list("pk", flat=True)[:PEOPLE])
    rows, more = _applications(ids) if ids else ([], False)
    return Found(kind, rows, ids, more or len(ids) >= PEOPLE)
