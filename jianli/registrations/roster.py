"""The qualification roster (资格库): import from the exam authority's CSV, idempotently.

Columns: certificate_number, name, id_number, category, obtained_on (YYYY-MM-DD). The ID number is checked and
kept only as its lookup hash. Rows are matched on certificate_number: new ones are created, changed ones
updated, identical ones left alone, so importing the same file twice changes nothing the second time. A record an
operator edited by hand (`Qualification.edited_by_hand`) that the file names is rewritten from the file, and so
loses the mark, even when the values agree: from then on the exam authority vouches for it.

The command imports a file (`qualifications_import`); operators upload one in the admin (jianli.registrations.
roster_upload); both read rows through `qualifications_import_records` and are audited (`roster_imported`).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeVar

from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from tqdm import tqdm

from jianli import identifiers, pii
from jianli.audit import events
from jianli.errors import ServiceError
from jianli.registrations.models import Qualification

COLUMNS = ("certificate_number", "name", "id_number", "category", "obtained_on")
FIELDS = ("name", "id_hash", "category", "obtained_on")
BY_HAND = ("edited_by_hand", "edited_by", "edited_at")
BATCH_SIZE = 1000
PROGRESS_EVERY = 500
_MAX = {"certificate_number": 40, "name": 50, "category": 20}
Row = TypeVar("Row")
_LABEL = {"certificate_number": "资格证书编号", "name": "姓名", "id_number": "身份证号码", "category": "专业类别",
          "obtained_on": "取得日期"}


@dataclass(frozen=True)
class RejectedRow:
    line: int
    certificate_number: str
    reason: str
    field: str = ""  # the column's Chinese label


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


def _clean(row: dict[str, Any], today: dt.date) -> tuple[dict[str, Any], str, str]:
    """The model fields of one row, or ({}, the column at fault, the reason it is refused)."""
    values = {k: (row.get(k) or "").strip().replace("\u3000", " ").strip() for k in COLUMNS}
    for key in ("certificate_number", "name", "category", "obtained_on"):
        if not values[key]:
            return {}, key, f"{_LABEL[key]}为空"
    for key, limit in _MAX.items():
        if len(values[key]) > limit:
            return {}, key, f"{_LABEL[key]}超过{limit}个字符"
    try:
        id_number = identifiers.clean_id_number(values["id_number"], today=today)
    except identifiers.InvalidIdentifier as e:
        return {}, "id_number", f"身份证号码无效：{e.message}"
    try:
        obtained_on = dt.date.fromisoformat(values["obtained_on"])
    except ValueError:
        return {}, "obtained_on", f"取得日期“{values['obtained_on']}”无效，应为YYYY-MM-DD"
    if len(values["obtained_on"]) != 10:
        return {}, "obtained_on", f"取得日期“{values['obtained_on']}”无效，应为YYYY-MM-DD"
    if obtained_on > today:
        return {}, "obtained_on", "取得日期晚于今天"
    if obtained_on < identifiers.birth_date(id_number):
        return {}, "obtained_on", "取得日期早于出生日期"
    return {
        "certificate_number": values["certificate_number"],
        "name": values["name"],
        "id_hash": pii.lookup_hash(id_number),
        "category": values["category"],
        "obtained_on": obtained_on,
    }, "", ""


def _batches(rows: Iterator[Row], size: int) -> Iterator[list[Row]]:
    batch: list[Row] = []
    for item in rows:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class _SeenNumbers:
    """The certificate numbers imported so far from this file and their lines, in a temporary table rather than
    in memory: a file of 10⁶ rows would otherwise hold 10⁶ of them (the check for a number repeated in the file)."""

    TABLE = "roster_import_seen"

    def __enter__(self) -> _SeenNumbers:
        with connection.cursor() as c:
            c.execute(f"DROP TABLE IF EXISTS {self.TABLE}")
            c.execute(f"CREATE TEMPORARY TABLE {self.TABLE} (number varchar(40) PRIMARY KEY, line integer NOT NULL)")
        return self

    def __exit__(self, *exc: object) -> None:
        with connection.cursor() as c:
            c.execute(f"DROP TABLE IF EXISTS {self.TABLE}")

    def lines(self, numbers: list[str]) -> dict[str, int]:
        if not numbers:
            return {}
        with connection.cursor() as c:
            marks = ", ".join(["%s"] * len(numbers))
            c.execute(f"SELECT number, line FROM {self.TABLE} WHERE number IN ({marks})", numbers)
            return dict(c.fetchall())

    def add(self, rows: list[tuple[int, dict[str, Any]]]) -> None:
        if rows:
            with connection.cursor() as c:
                c.executemany(f"INSERT INTO {self.TABLE} (number, line) VALUES (%s, %s)",
                              [(values["certificate_number"], line) for line, values in rows])


def _save_batch(batch: list[tuple[int, dict[str, Any]]], report: ImportReport) -> None:
    numbers = [values["certificate_number"] for _, values in batch]
    existing = {q.certificate_number: q for q in Qualification.objects.filter(certificate_number__in=numbers)}
    to_create: list[Qualification] = []
    to_update: list[Qualification] = []
    for _, values in batch:
        current = existing.get(values["certificate_number"])
        if current is None:
            to_create.append(Qualification(**values))
        elif current.edited_by_hand or any(getattr(current, f) != values[f] for f in FIELDS):
            for f in FIELDS:
                setattr(current, f, values[f])
            current.edited_by_hand, current.edited_by, current.edited_at = False, None, None
            to_update.append(current)
        else:
            report.unchanged += 1
    with transaction.atomic():
        if to_create:
            Qualification.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
        if to_update:
            Qualification.objects.bulk_update(to_update, FIELDS + BY_HAND, batch_size=BATCH_SIZE)
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
    reader = csv.reader(lines)
    header = next(reader, [])
    rows = ((reader.line_num, row) for row in reader)
    return qualifications_import_records(header=header, rows=rows, today=today, batch_size=batch_size,
                                         progress=progress)


def qualifications_import_records(
    *,
    header: list[str],
    rows: Iterable[tuple[int, list[str]]],
    today: dt.date | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Any = None,
) -> ImportReport:
    """Import rows as (line number, the cells' text), read lazily, after checking the header."""
    today = today or dt.date.today()
    header = [str(h or "").strip().lstrip("\ufeff") for h in header]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ServiceError("roster_header", f"缺少列：{', '.join(missing)}（第一行应为 {','.join(COLUMNS)}）")
    report = ImportReport()

    def read_rows() -> Iterator[tuple[int, dict[str, Any], str, str]]:
        for counted, (line, cells) in enumerate(rows, 1):
            row = dict(zip(header, cells, strict=False))
            if progress is not None and counted % PROGRESS_EVERY == 0:
                progress.update(PROGRESS_EVERY)  # per row, the bar would cost more than the import
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue  # a blank line
            values, column, reason = _clean(row, today)
            number = values.get("certificate_number") or (row.get("certificate_number") or "").strip()
            yield line, {**values, "certificate_number": number}, column, reason

    with _SeenNumbers() as seen:
        for batch in _batches(read_rows(), batch_size):
            earlier = seen.lines([values["certificate_number"] for _, values, _, reason in batch if not reason])
            good: list[tuple[int, dict[str, Any]]] = []
            for line, values, column, reason in batch:
                number = values["certificate_number"]
                if not reason and number in earlier:
                    column, reason = "certificate_number", f"资格证书编号与第{earlier[number]}行重复"
                if reason:
                    report.rejected.append(RejectedRow(line, number, reason, _LABEL[column]))
                    continue
                earlier[number] = line
                good.append((line, values))
            seen.add(good)
            if good:
                _save_batch(good, report)
    if progress is not None:
        progress.update(progress.total - progress.n if progress.total else 0)
    return report


def qualifications_import(
    *, source: Path, today: dt.date | None = None, batch_size: int = BATCH_SIZE, show_progress: bool = False
) -> ImportReport:
    """Import a roster file; rejected rows go to `<file>.rejected.csv` next to it (line, number, reason)."""

    with source.open("rb") as raw:
        encoding, lines_in_file = csv_encoding_and_lines(raw)
    # Read as it is imported, a batch at a time: memory does not grow with the file (10⁶ rows are ~150 MB).
    with tqdm(total=max(lines_in_file - 1, 0), unit="行", disable=not show_progress, desc="导入资格库") as bar, \
            source.open(encoding=encoding, newline="") as f:
        report = qualifications_import_rows(lines=f, today=today, batch_size=batch_size, progress=bar)
    with source.open("rb") as raw:
        report_audited(report, None, source="command", filename=source.name, sha256=file_sha256(raw))
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


def csv_encoding_and_lines(raw: IO[bytes]) -> tuple[str, int]:
    """UTF-8 (with or without BOM), or GB18030 (a superset of GBK), which spreadsheets on Chinese systems save by
    default; and the number of lines. Read in chunks from the start of `raw`."""
    for encoding in ("utf-8-sig", "gb18030"):
        decoder, lines = codecs.getincrementaldecoder(encoding)(), 0
        raw.seek(0)
        try:
            while chunk := raw.read(1 << 20):
                if b"\0" in chunk:
                    raise ServiceError("roster_file", "文件不是CSV文本文件，请上传CSV或Excel（.xlsx）文件")
                lines += decoder.decode(chunk).count("\n")
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        raw.seek(0)
        return encoding, lines
    raise ServiceError("roster_encoding", "文件编码无法识别，请另存为UTF-8编码的CSV后重试")


def file_sha256(raw: IO[bytes]) -> str:
    """Of the whole file, read in chunks from its start; leaves it open at its start."""
    digest = hashlib.sha256()
    raw.seek(0)
    while chunk := raw.read(1 << 20):
        digest.update(chunk)
    raw.seek(0)
    return digest.hexdigest()


def report_audited(report: ImportReport, request: HttpRequest | None, **detail: Any) -> None:
    """The audit row of one import: where it came from, the file's name and SHA-256, the counts."""
    events.roster_imported(request, **detail, created=report.created, updated=report.updated,
                           unchanged=report.unchanged, rejected=len(report.rejected))


def rejected_csv(rejected: list[RejectedRow]) -> str:
    """The report of refused rows; the ID number is left out on purpose (it is personal data)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["行号", "资格证书编号", "字段", "原因"])
    for r in rejected:
        writer.writerow([r.line, r.certificate_number, r.field, r.reason])
    return buf.getvalue()


def qualification_save_by_hand(*, record: Qualification, id_number: str, request: HttpRequest) -> Qualification:
    """An operator's addition or change in the admin: marked `edited_by_hand` (by whom, when) and audited with the
    fields that changed. An ID number is recorded masked; the one it replaced is unknown (only its hash is kept)."""
    before = Qualification.objects.filter(pk=record.pk).first() if record.pk else None
    if id_number:
        record.id_hash = pii.lookup_hash(id_number)
    changes = {
        name: [str(getattr(before, name)) if before else "", str(getattr(record, name))]
        for name in ("certificate_number", "name", "category", "obtained_on")
        if before is None or getattr(before, name) != getattr(record, name)
    }
    if id_number and (before is None or before.id_hash != record.id_hash):
        changes["id_number"] = ["（已更换）" if before else "", identifiers.mask_id_number(id_number)]
    if before is not None and not changes:
        return record
    record.edited_by_hand, record.edited_by, record.edited_at = True, request.user, timezone.now()  # type: ignore[assignment]
    with transaction.atomic():
        record.save()
        events.roster_edited_by_hand(request, qualification_id=record.pk, certificate_number=record.certificate_number,
                                     change="changed" if before else "added", changes=changes)
    return record
