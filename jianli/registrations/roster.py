"""The qualification roster (资格库): import from the exam authority's CSV, idempotently.

Columns: certificate_number, name, id_number, category, obtained_on (YYYY-MM-DD). The ID number is checked and
kept only as its lookup hash. Rows are matched on certificate_number: new ones are created, changed ones
updated, identical ones left alone, so importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from jianli import identifiers, pii
from jianli.errors import ServiceError
from jianli.registrations.models import Qualification

COLUMNS = ("certificate_number", "name", "id_number", "category", "obtained_on")
FIELDS = ("name", "id_hash", "category", "obtained_on")
BATCH_SIZE = 1000
PROGRESS_EVERY = 500
_MAX = {"certificate_number": 40, "name": 50, "category": 20}
_LABEL = {"certificate_number": "资格证书编号", "name": "姓名", "category": "专业类别", "obtained_on": "取得日期"}


@dataclass(frozen=True)
class RejectedRow:
    line: int
    certificate_number: str
    reason: str


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    report_path: Path | None = None

    def summary(self) -> str:
        return (
            f"新增 {self.created} 条，更新 {self.updated} 条，未变化 {self.unchanged} 条，"
            f"拒绝 {len(self.rejected)} 条"
        )


def _clean(row: dict[str, Any], today: dt.date) -> tuple[dict[str, Any], str]:
    """The model fields of one row, or ({}, the reason it is refused)."""
    values = {k: (row.get(k) or "").strip().replace("\u3000", " ").strip() for k in COLUMNS}
    for key in ("certificate_number", "name", "category", "obtained_on"):
        if not values[key]:
            return {}, f"{_LABEL[key]}为空"
    for key, limit in _MAX.items():
        if len(values[key]) > limit:
            return {}, f"{_LABEL[key]}超过{limit}个字符"
    try:
        id_number = identifiers.clean_id_number(values["id_number"], today=today)
    except identifiers.InvalidIdentifier as e:
        return {}, f"身份证号码无效：{e.message}"
    try:
        obtained_on = dt.date.fromisoformat(values["obtained_on"])
    except ValueError:
        return {}, f"取得日期“{values['obtained_on']}”无效，应为YYYY-MM-DD"
    if len(values["obtained_on"]) != 10:
        return {}, f"取得日期“{values['obtained_on']}”无效，应为YYYY-MM-DD"
    if obtained_on > today:
        return {}, "取得日期晚于今天"
    if obtained_on < identifiers.birth_date(id_number):
        return {}, "取得日期早于出生日期"
    return {
        "certificate_number": values["certificate_number"],
        "name": values["name"],
        "id_hash": pii.lookup_hash(id_number),
        "category": values["category"],
        "obtained_on": obtained_on,
    }, ""


def _batches(rows: Iterator[tuple[int, dict[str, Any]]], size: int) -> Iterator[list[tuple[int, dict[str, Any]]]]:
    batch: list[tuple[int, dict[str, Any]]] = []
    for item in rows:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _save_batch(batch: list[tuple[int, dict[str, Any]]], report: ImportReport) -> None:
    numbers = [values["certificate_number"] for _, values in batch]
    existing = {q.certificate_number: q for q in Qualification.objects.filter(certificate_number__in=numbers)}
    to_create: list[Qualification] = []
    to_update: list[Qualification] = []
    for _, values in batch:
        current = existing.get(values["certificate_number"])
        if current is None:
            to_create.append(Qualification(**values))
        elif any(getattr(current, f) != values[f] for f in FIELDS):
            for f in FIELDS:
                setattr(current, f, values[f])
            to_update.append(current)
        else:
            report.unchanged += 1
    with transaction.atomic():
        if to_create:
            Qualification.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
        if to_update:
            Qualification.objects.bulk_update(to_update, FIELDS, batch_size=BATCH_SIZE)
    report.created += len(to_create)
    report.updated += len(to_update)


def qualifications_import_rows(
    *,
    lines: Iterable[str],
    today: dt.date | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Any = None,
) -> ImportReport:
    """Import CSV text (an iterable of lines, header first). `progress` is an optional tqdm-like bar."""
    today = today or dt.date.today()
    reader = csv.DictReader(lines)
    header = [h.strip().lstrip("\ufeff") for h in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ServiceError("roster_header", f"CSV缺少列：{', '.join(missing)}（应为 {','.join(COLUMNS)}）")
    reader.fieldnames = header
    report = ImportReport()
    seen: dict[str, int] = {}

    def good_rows() -> Iterator[tuple[int, dict[str, Any]]]:
        for counted, row in enumerate(reader, 1):
            line = reader.line_num
            if progress is not None and counted % PROGRESS_EVERY == 0:
                progress.update(PROGRESS_EVERY)  # per row, the bar would cost more than the import
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue  # a blank line
            values, reason = _clean(row, today)
            number = values.get("certificate_number") or (row.get("certificate_number") or "").strip()
            if not reason and number in seen:
                reason = f"资格证书编号与第{seen[number]}行重复"
            if reason:
                report.rejected.append(RejectedRow(line, number, reason))
                continue
            seen[number] = line
            yield line, values

    for batch in _batches(good_rows(), batch_size):
        _save_batch(batch, report)
    if progress is not None:
        progress.update(progress.total - progress.n if progress.total else 0)
    return report


def qualifications_import(
    *, source: Path, today: dt.date | None = None, batch_size: int = BATCH_SIZE, show_progress: bool = False
) -> ImportReport:
    """Import a roster file; rejected rows go to `<file>.rejected.csv` next to it (line, number, reason)."""
    from tqdm import tqdm

    encoding, lines_in_file = _encoding_and_lines(source)
    # Read as it is imported, a batch at a time: memory does not grow with the file (10⁶ rows are ~150 MB).
    with tqdm(total=max(lines_in_file - 1, 0), unit="行", disable=not show_progress, desc="导入资格库") as bar, \
            source.open(encoding=encoding, newline="") as f:
        report = qualifications_import_rows(lines=f, today=today, batch_size=batch_size, progress=bar)
    report_path = source.with_name(source.name + ".rejected.csv")
    if report.rejected:
        try:
            report_path.write_text(rejected_csv(report.rejected), encoding="utf-8-sig")
            report.report_path = report_path
        except OSError:
            report.report_path = None
    elif report_path.exists():
        report_path.unlink()  # a stale report from an earlier run would mislead
    return report


def _encoding_and_lines(source: Path) -> tuple[str, int]:
    """UTF-8 (with or without BOM), or GB18030, which spreadsheets on Chinese systems save by default; and the
    number of lines. Read in chunks."""
    for encoding in ("utf-8-sig", "gb18030"):
        decoder, lines = codecs.getincrementaldecoder(encoding)(), 0
        try:
            with source.open("rb") as f:
                while chunk := f.read(1 << 20):
                    lines += decoder.decode(chunk).count("\n")
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding, lines
    raise ServiceError("roster_encoding", "文件编码无法识别，请另存为UTF-8编码的CSV后重试")


def rejected_csv(rejected: list[RejectedRow]) -> str:
    """The report of refused rows; the ID number is left out on purpose (it is personal data)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["行号", "资格证书编号", "原因"])
    for r in rejected:
        writer.writerow([r.line, r.certificate_number, r.reason])
    return buf.getvalue()
