from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jianli import pii
from jianli.audit.models import AuditEvent
from jianli.demo import make_id_number
from jianli.errors import ServiceError
from jianli.registrations import roster
from jianli.registrations.models import Qualification
from jianli.testing import id_number

TODAY = dt.date(2026, 11, 25)
HEADER = "certificate_number,name,id_number,category,obtained_on\n"
BIG_ROWS = 20_000


def person_row(i: int) -> str:
    born = dt.date(1960, 1, 1) + dt.timedelta(days=i // 1000)
    number = make_id_number("110101", born, i % 1000)
    return f"JL{i:012d},测试{i},{number},土木建筑工程,{2010 + i % 15}-{1 + i % 12:02d}-{1 + i % 28:02d}\n"


def write_roster(path: Path, n: int) -> Path:
    with path.open("w", encoding="utf-8") as f:
        f.write(HEADER)
        f.writelines(person_row(i) for i in range(n))
    return path


def run(path: Path, **kwargs) -> roster.ImportReport:  # type: ignore[no-untyped-def]
    return roster.qualifications_import(source=path, today=TODAY, **kwargs)


@pytest.mark.django_db
def test_import_then_reimport_changes_nothing(tmp_path: Path) -> None:
    source = write_roster(tmp_path / "roster.csv", 25)
    report = run(source, batch_size=10)
    assert (report.created, report.updated, report.unchanged, report.rejected) == (25, 0, 0, [])
    assert report.report_path is None and not (tmp_path / "roster.csv.rejected.csv").exists()
    q = Qualification.objects.get(certificate_number="JL000000000003")
    assert q.name == "测试3" and q.category == "土木建筑工程" and q.obtained_on == dt.date(2013, 4, 4)
    assert q.id_hash == pii.lookup_hash(make_id_number("110101", dt.date(1960, 1, 1), 3))
    before = list(Qualification.objects.order_by("pk").values_list())
    report = run(source, batch_size=10)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 25)
    assert list(Qualification.objects.order_by("pk").values_list()) == before


@pytest.mark.django_db
def test_changed_rows_are_updated_by_certificate_number(tmp_path: Path) -> None:
    run(write_roster(tmp_path / "a.csv", 5))
    lines = (tmp_path / "a.csv").read_text().splitlines(keepends=True)
    lines[2] = lines[2].replace("测试1", "测试壹")
    lines.append(person_row(5))
    (tmp_path / "b.csv").write_text("".join(lines))
    report = run(tmp_path / "b.csv")
    assert (report.created, report.updated, report.unchanged) == (1, 1, 4)
    assert Qualification.objects.get(certificate_number="JL000000000001").name == "测试壹"
    assert Qualification.objects.count() == 6


@pytest.mark.django_db
@pytest.mark.parametrize("batch_size", [1000, 2])  # the repeated number in the same batch, then in a later one
def test_rejected_rows_are_reported_with_line_and_reason(tmp_path: Path, batch_size: int) -> None:
    good = id_number()
    bad_check = good[:-1] + ("0" if good[-1] != "0" else "1")
    text = "\ufeff" + HEADER + "".join(
        [
            f"A1,张三,{good},土木建筑工程,2020-05-01\n",  # line 2: fine
            f"A2,李四,{bad_check},土木建筑工程,2020-05-01\n",  # 3: checksum
            f"A3,,{id_number(sequence=13)},土木建筑工程,2020-05-01\n",  # 4: no name
            f"A4,王五,{id_number(sequence=14)},土木建筑工程,2020/05/01\n",  # 5: date format
            "\n",  # 6: blank, skipped
            f"A1,张三,{good},土木建筑工程,2020-05-01\n",  # 7: duplicate of line 2
            f"A5,赵六,{id_number(sequence=15)},土木建筑工程,2027-01-01\n",  # 8: future
            "A6,钱七,12345,土木建筑工程,2020-05-01\n",  # 9: length
            f",孙八,{id_number(sequence=16)},土木建筑工程,2020-05-01\n",  # 10: no number
        ]
    )
    source = tmp_path / "roster.csv"
    source.write_text(text, encoding="utf-8")
    report = run(source, batch_size=batch_size)
    assert report.created == 1
    got = {(r.line, r.certificate_number): r.reason for r in report.rejected}
    assert got == {
        (3, "A2"): "身份证号码无效：校验位不正确，请核对身份证号码",
        (4, "A3"): "姓名为空",
        (5, "A4"): "取得日期“2020/05/01”无效，应为YYYY-MM-DD",
        (7, "A1"): "资格证书编号与第2行重复",
        (8, "A5"): "取得日期晚于今天",
        (9, "A6"): "身份证号码无效：身份证号码应为18位",
        (10, ""): "资格证书编号为空",
    }
    assert report.report_path == tmp_path / "roster.csv.rejected.csv"
    written = report.report_path.read_text(encoding="utf-8-sig")
    assert written.splitlines()[0] == "行号,资格证书编号,字段,原因" and "3,A2,身份证号码,身份证号码无效" in written
    assert bad_check not in written  # the report holds no ID numbers
    assert Qualification.objects.get().certificate_number == "A1"


@pytest.mark.django_db
def test_a_gb18030_file_from_a_spreadsheet(tmp_path: Path) -> None:
    source = tmp_path / "roster.csv"
    source.write_bytes((HEADER + person_row(1)).encode("gb18030"))
    assert run(source).created == 1
    assert Qualification.objects.get().name == "测试1"


@pytest.mark.django_db
def test_a_file_in_neither_encoding_is_refused_before_any_row_is_imported(tmp_path: Path) -> None:
    source = tmp_path / "roster.csv"
    # Good rows first, the undecodable byte far past the first chunk the importer reads.
    source.write_bytes((HEADER + "".join(person_row(i) for i in range(1, 30_000))).encode() + b"\xff\xff\n")
    with pytest.raises(ServiceError) as refused:
        run(source)
    assert refused.value.code == "roster_encoding" and "UTF-8" in refused.value.message
    assert not Qualification.objects.exists()


@pytest.mark.django_db
def test_missing_columns_are_refused(tmp_path: Path) -> None:
    source = tmp_path / "roster.csv"
    source.write_text("certificate_number,name,id_number\nA1,张三,x\n")
    with pytest.raises(ServiceError) as caught:
        run(source)
    assert "category" in caught.value.message and "obtained_on" in caught.value.message


@pytest.mark.django_db
def test_queries_are_per_batch_not_per_row(tmp_path: Path) -> None:
    source = write_roster(tmp_path / "roster.csv", 300)
    with CaptureQueriesContext(connection) as queries:
        run(source, batch_size=100)
    # Per batch: the numbers seen earlier in the file (a select and an insert into a temporary table), the existing
    # rows (a select), an insert, the transaction's savepoints; once: the temporary table made (after dropping a
    # leftover) and dropped, the audit row.
    assert len(queries) <= 3 * 7 + 3 + 1, len(queries)
    with CaptureQueriesContext(connection) as queries:
        run(source, batch_size=100)
    assert len(queries) <= 3 * 5 + 3 + 1, len(queries)


def test_the_hyphenated_command_name_reaches_django(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import sys

    import jianli.__main__

    seen: list[list[str]] = []
    monkeypatch.setattr(jianli.__main__, "execute_from_command_line", seen.append)
    monkeypatch.setattr(sys, "argv", ["jianli", "import-qualifications", "roster.csv"])
    jianli.__main__.main()
    assert seen == [["jianli", "import_qualifications", "roster.csv"]]


@pytest.mark.django_db
def test_the_command_prints_counts_and_rejections(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    source = write_roster(tmp_path / "roster.csv", 3)
    with source.open("a") as f:
        f.write("BAD,某人,123,土木建筑工程,2020-01-01\n")
    call_command("import_qualifications", str(source), "--no-progress")
    out = capsys.readouterr().out
    assert "新增 3 条，更新 0 条，未变化 0 条，拒绝 1 条" in out
    assert "第5行 BAD：身份证号码无效" in out and "roster.csv.rejected.csv" in out
    call_command("import_qualifications", str(source), "--no-progress")
    assert "新增 0 条，更新 0 条，未变化 3 条，拒绝 1 条" in capsys.readouterr().out
    first, second = AuditEvent.objects.filter(action="roster_imported").order_by("id")
    assert first.actor_kind == "system"  # labelled with the OS user and the command line
    assert first.detail == {"source": "command", "filename": "roster.csv", "created": 3, "updated": 0,
                            "unchanged": 0, "rejected": 1,
                            "sha256": hashlib.sha256(source.read_bytes()).hexdigest()}
    assert second.detail["unchanged"] == 3


@pytest.mark.django_db
def test_big_roster_imports_in_batches_and_reimports_to_nothing(tmp_path: Path) -> None:
    """Speed is measured by bench/import_qualifications.py (100,000 rows); this checks the batching is right."""
    source = write_roster(tmp_path / "roster.csv", BIG_ROWS)
    report = run(source)
    assert (report.created, report.rejected) == (BIG_ROWS, [])
    report = run(source)
    assert (report.created, report.updated, report.unchanged) == (0, 0, BIG_ROWS)
    assert Qualification.objects.count() == BIG_ROWS
