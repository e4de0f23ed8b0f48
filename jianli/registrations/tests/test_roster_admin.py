"""The roster in the operators' admin: uploaded as CSV or Excel through the command's import, with its report of
rejected rows on the page and an audit row; records changed by hand are marked and audited (ID numbers masked)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from jianli import pii
from jianli.audit.models import AuditEvent
from jianli.registrations import roster, roster_upload
from jianli.registrations.models import Qualification
from jianli.testing import cast, id_number
from jianli.testing.cast import ops_client

pytestmark = pytest.mark.django_db

UPLOAD = "/ops/admin/registrations/qualification/upload/"
HEADER = ",".join(roster.COLUMNS) + "\n"


@pytest.fixture
def operator():  # type: ignore[no-untyped-def]
    user = User.objects.create_superuser("ops", password=cast.PASSWORD)
    return user, ops_client(user)


def _csv() -> bytes:
    return (HEADER
            + f"A1,张三,{id_number(sequence=12)},土木建筑工程,2020-05-01\n"
            + f"A2,李四,{id_number(sequence=14)[:-1]}X,土木建筑工程,2020-05-01\n"
            + f"A3,王五,{id_number(sequence=16)},土木建筑工程,2020/05/01\n").encode()


def _upload(client, name: str, content: bytes):  # type: ignore[no-untyped-def]
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content)})


def test_a_csv_upload_imports_and_shows_the_rejected_rows(operator) -> None:  # type: ignore[no-untyped-def]
    user, client = operator
    assert "上传资格库" in client.get("/ops/admin/registrations/qualification/").content.decode()
    assert client.get(UPLOAD).status_code == 200
    r = _upload(client, "资格库.csv", _csv())
    page = r.content.decode()
    assert r.status_code == 200
    assert "新增 1 条，更新 0 条，未变化 0 条，拒绝 2 条" in page
    assert "<td>3</td><td>A2</td><td>身份证号码</td><td>身份证号码无效" in page
    assert "<td>4</td><td>A3</td><td>取得日期</td><td>取得日期“2020/05/01”无效" in page
    assert list(Qualification.objects.values_list("certificate_number", flat=True)) == ["A1"]
    audit = AuditEvent.objects.get(action="roster_imported")
    assert (audit.actor_kind, audit.actor_id) == ("staff", user.pk)
    assert audit.detail == {"source": "upload", "filename": "资格库.csv", "size": len(_csv()),
                            "sha256": hashlib.sha256(_csv()).hexdigest(), "created": 1, "updated": 0,
                            "unchanged": 0, "rejected": 2}
    assert _upload(client, "资格库.csv", _csv()).status_code == 200  # the same file again changes nothing
    assert AuditEvent.objects.filter(action="roster_imported").last().detail["unchanged"] == 1  # type: ignore[union-attr]


def test_an_excel_upload_reads_the_first_sheet_dates_and_numbers(operator) -> None:  # type: ignore[no-untyped-def]
    _, client = operator
    book = Workbook()
    sheet = book.active
    sheet.append(list(roster.COLUMNS))
    sheet.append(["B1", "赵六", id_number(sequence=18), "土木建筑工程", dt.date(2019, 6, 2)])
    sheet.append([20240001, "钱七", id_number(sequence=20), "土木建筑工程", "2021-03-04"])
    sheet.append(["B3", "", id_number(sequence=22), "土木建筑工程", dt.date(2019, 6, 2)])
    buf = io.BytesIO()
    book.save(buf)
    page = _upload(client, "roster.xlsx", buf.getvalue()).content.decode()
    assert "新增 2 条" in page and "拒绝 1 条" in page
    assert "<td>4</td><td>B3</td><td>姓名</td><td>姓名为空</td>" in page
    got = {q.certificate_number: q for q in Qualification.objects.all()}
    assert got["B1"].obtained_on == dt.date(2019, 6, 2) and got["20240001"].name == "钱七"
    assert got["B1"].id_hash == pii.lookup_hash(id_number(sequence=18))
    assert AuditEvent.objects.get(action="roster_imported").detail["filename"] == "roster.xlsx"


@pytest.mark.parametrize("name, content, message", [
    ("roster.pdf", b"%PDF-1.4", "请上传CSV文件或Excel（.xlsx）文件"),
    ("roster.xls", b"\xd0\xcf\x11\xe0", "不支持旧版Excel（.xls）"),
    ("roster.xlsx", b"not a zip at all", "文件不是有效的Excel（.xlsx）文件"),
    ("roster.csv", b"", "文件是空的"),
    ("roster.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "文件不是CSV文本文件"),
    ("roster.csv", HEADER.encode() + b"A1,\xff\xfe\xff,x,y,z\n", "文件编码无法识别"),
    ("roster.csv", "证书编号,姓名\nA1,张三\n".encode(), "缺少列：certificate_number"),
])
def test_a_bad_file_gets_a_message_and_imports_nothing(operator, name, content, message) -> None:  # type: ignore[no-untyped-def]
    _, client = operator
    r = _upload(client, name, content)
    assert r.status_code == 422 and message in r.content.decode()
    assert 'class="errornote"' in r.content.decode()
    assert not Qualification.objects.exists() and not AuditEvent.objects.filter(action="roster_imported").exists()


def test_a_gbk_csv_from_a_spreadsheet_is_read(operator) -> None:  # type: ignore[no-untyped-def]
    _, client = operator
    r = _upload(client, "roster.csv", (HEADER + f"A1,张三,{id_number(sequence=12)},土木建筑工程,2020-05-01\n").encode("gbk"))
    assert "新增 1 条" in r.content.decode() and Qualification.objects.get().name == "张三"


def test_too_big_a_file_and_no_file_are_refused(operator, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _, client = operator
    monkeypatch.setattr(roster_upload, "UPLOAD_MAX", 100)
    r = _upload(client, "roster.csv", _csv())
    assert r.status_code == 422 and "jianli import-qualifications" in r.content.decode()
    r = client.post(UPLOAD, {})
    assert r.status_code == 422 and "请选择要上传的" in r.content.decode()
    assert not Qualification.objects.exists()


def test_a_damaged_workbook_gets_a_message_and_imports_nothing(operator) -> None:  # type: ignore[no-untyped-def]
    _, client = operator
    book = Workbook()
    book.active.append(list(roster.COLUMNS))
    book.active.append(["C1", "孙八", id_number(sequence=24), "土木建筑工程", "2020-05-01"])
    buf, broken = io.BytesIO(), io.BytesIO()
    book.save(buf)
    with zipfile.ZipFile(buf) as good, zipfile.ZipFile(broken, "w") as bad:
        for item in good.infolist():
            part = good.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                part = part[: part.index(b"</sheetData>")] + b"<row r='3'><c r='A3' t="  # cut after the good rows
            bad.writestr(item, part)
    r = _upload(client, "roster.xlsx", broken.getvalue())
    assert r.status_code == 422 and "文件不是有效的Excel" in r.content.decode()
    assert not Qualification.objects.exists()


def test_a_record_changed_by_hand_is_marked_and_audited(operator) -> None:  # type: ignore[no-untyped-def]
    user, client = operator
    person = id_number(sequence=12)
    roster.qualifications_import_rows(lines=[HEADER, f"A1,张三,{person},土木建筑工程,2020-05-01\n"])
    record = Qualification.objects.get()
    url = f"/ops/admin/registrations/qualification/{record.pk}/change/"
    assert client.get(url).status_code == 200
    new_number = id_number(sequence=30)
    r = client.post(url, {"certificate_number": "A1", "name": "张三", "id_number": new_number,
                          "category": "土木建筑工程", "obtained_on": "2020-06-01"})
    assert r.status_code == 302, r.content.decode()[:3000]
    record.refresh_from_db()
    assert record.edited_by_hand and record.edited_by == user and record.edited_at is not None
    assert record.obtained_on == dt.date(2020, 6, 1) and record.id_hash == pii.lookup_hash(new_number)
    audit = AuditEvent.objects.get(action="roster_edited_by_hand")
    assert audit.actor_id == user.pk and audit.detail["change"] == "changed"
    assert audit.detail["changes"] == {"obtained_on": ["2020-05-01", "2020-06-01"],
                                       "id_number": ["（已更换）", new_number[:3] + "*" * 11 + new_number[-4:]]}
    assert new_number not in str(audit.detail)
    # Saved again without a change: nothing to mark or audit.
    client.post(url, {"certificate_number": "A1", "name": "张三", "id_number": "", "category": "土木建筑工程",
                      "obtained_on": "2020-06-01"})
    assert AuditEvent.objects.filter(action="roster_edited_by_hand").count() == 1
    assert client.get("/ops/admin/registrations/qualification/?edited_by_hand__exact=1").status_code == 200


def test_a_record_added_by_hand_needs_a_valid_id_number(operator) -> None:  # type: ignore[no-untyped-def]
    _, client = operator
    add = "/ops/admin/registrations/qualification/add/"
    values = {"certificate_number": "H1", "name": "周九", "id_number": "110101", "category": "土木建筑工程",
              "obtained_on": "2020-05-01"}
    r = client.post(add, values)
    assert r.status_code == 200 and "身份证号码无效" in r.content.decode() and not Qualification.objects.exists()
    r = client.post(add, {**values, "id_number": id_number(sequence=32)})
    assert r.status_code == 302
    record = Qualification.objects.get()
    assert record.edited_by_hand
    assert AuditEvent.objects.get(action="roster_edited_by_hand").detail["change"] == "added"
