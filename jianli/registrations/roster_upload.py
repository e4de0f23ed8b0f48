"""The roster uploaded by an operator in the admin: a CSV file as the command reads it, or an Excel workbook (.xlsx,
its first sheet, the same columns in the first row). Read a batch at a time through
`roster.qualifications_import_records`, in one transaction (a file that breaks half-way imports nothing), and
audited. Larger rosters are imported with the command (`jianli import-qualifications`)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from pathlib import PurePath
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from jianli.errors import ServiceError
from jianli.registrations import roster

UPLOAD_MAX = 10 * 1024 * 1024
# What the workbook's parts may expand to: a small file that unpacks to gigabytes is refused before it is read.
XLSX_EXPANDED_MAX = 200 * 1024 * 1024
KINDS = (".csv", ".xlsx")
COMMAND_HINT = "更大的资格库请由运维人员在服务器上用 jianli import-qualifications 命令导入"


def _refuse(code: str, message: str) -> ServiceError:
    return ServiceError(code, message, fields={"file": message}, status=422)


def qualifications_upload(*, upload: UploadedFile, request: HttpRequest | None) -> roster.ImportReport:
    """Import an uploaded roster file; ServiceError (at the field `file`) when the file cannot be read as one."""
    name = PurePath(upload.name or "").name
    suffix = PurePath(name.lower()).suffix
    if suffix == ".xls":
        raise _refuse("roster_file", "不支持旧版Excel（.xls）文件，请在Excel中另存为.xlsx或CSV后上传")
    if suffix not in KINDS:
        raise _refuse("roster_file", "请上传CSV文件或Excel（.xlsx）文件")
    if not upload.size:
        raise _refuse("roster_file", "文件是空的，请检查后重新上传")
    if upload.size > UPLOAD_MAX:
        raise _refuse("roster_too_big", f"文件超过{UPLOAD_MAX // (1024 * 1024)} MB，不能在网页上传；{COMMAND_HINT}")
    sha256 = roster.file_sha256(upload.open("rb"))
    try:
        header, rows = _xlsx_rows(upload) if suffix == ".xlsx" else _csv_rows(upload)
        with transaction.atomic():
            report = roster.qualifications_import_records(header=header, rows=rows)
    except ServiceError as e:
        raise _refuse(e.code, e.message) from e
    roster.report_audited(report, request, source="upload", filename=name[:200], size=upload.size, sha256=sha256)
    return report


def _csv_rows(upload: UploadedFile) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    raw = upload.open("rb")
    encoding, _ = roster.csv_encoding_and_lines(raw)
    reader = csv.reader(io.TextIOWrapper(raw, encoding=encoding, newline=""))

    def cells() -> Iterator[tuple[int, list[str]]]:
        try:
            for row in reader:
                yield reader.line_num, row
        except csv.Error as e:
            raise ServiceError("roster_file", f"第{reader.line_num}行无法按CSV读取（{e}），请检查文件") from e

    try:
        header = next(reader, [])
    except csv.Error as e:
        raise ServiceError("roster_file", f"文件不是有效的CSV文件（{e}）") from e
    return header, cells()


def _xlsx_rows(upload: UploadedFile) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    # Whatever a damaged workbook makes the reader raise, the operator is told the file is not a workbook.
    unreadable = (zipfile.BadZipFile, InvalidFileException, KeyError, IndexError, ValueError, TypeError,
                  AttributeError, SyntaxError, OSError)
    broken = ServiceError("roster_file", "文件不是有效的Excel（.xlsx）文件，请在Excel中重新保存后上传，或另存为CSV")
    try:
        with zipfile.ZipFile(upload.open("rb")) as z:
            if sum(i.file_size for i in z.infolist()) > XLSX_EXPANDED_MAX:
                raise ServiceError("roster_too_big", f"文件解压后过大，不能在网页上传；{COMMAND_HINT}")
        upload.seek(0)
        book = load_workbook(upload.open("rb"), read_only=True, data_only=True)
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = [_text(v) for v in next(rows, ())]
    except unreadable as e:
        raise broken from e

    def cells() -> Iterator[tuple[int, list[str]]]:
        try:
            for line, values in enumerate(rows, 2):
                yield line, [_text(v) for v in values]
        except unreadable as e:
            raise broken from e
        finally:
            book.close()

    return header, cells()


def _text(value: Any) -> str:
    """A cell as the CSV would hold it: dates as YYYY-MM-DD, whole numbers without a decimal point."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
