"""The reviewer's console at national scale on PostgreSQL: 10⁵ applications and 10⁵ people. The sorted queues, a
reviewer's files, 领取下一件, the team lead's load and every kind of search read through indexes (no sequential
scan of the applications or the applicants), and a name is found through its prefix index."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jianli.accounts.models import Applicant
from jianli.registrations.models import Application
from jianli.review import work
from jianli.testing import cast
from jianli.testing.cast import review_client
from tests.scale.test_queue_plans import _seed

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="plans are PostgreSQL's"),
]

PEOPLE = 100_000
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"


def _seed_people() -> None:
    table = Applicant._meta.db_table
    with connection.cursor() as c:
        c.execute(f"""
            INSERT INTO {table} (name, id_number, id_hash, mobile, mobile_hash, id_photo_path, id_photo_embedding,
                verified_in_person_note, created_at, updated_at)
            SELECT substr(%s, 1 + i %% 20, 1) || '测' || i::text, 'x', md5('id' || i::text), 'x',
                md5('m' || i::text), '', '', '', now(), now()
            FROM generate_series(1, %s) AS i""", [SURNAMES, PEOPLE])
        c.execute(f"ANALYZE {table}")


def _plans(ctx: CaptureQueriesContext, tables: list[str]) -> list[tuple[str, str]]:
    out = []
    for q in ctx.captured_queries:
        sql = q["sql"]
        if not sql.lstrip().upper().startswith("SELECT") or not any(f'"{t}"' in sql for t in tables):
            continue
        with connection.cursor() as c:
            c.execute("EXPLAIN " + sql)
            out.append((sql, "\n".join(r[0] for r in c.fetchall())))
    return out


def test_console_pages_and_searches_read_through_indexes(db) -> None:  # type: ignore[no-untyped-def]
    emp = cast.employer(1, "北京华建工程监理有限公司")
    reviewer = cast.reviewer("shencha", "审查", "复核", work.TEAM_LEAD_GROUP)
    person = cast.applicant(name="王建国", sequence=12)
    _seed(emp.pk, person.pk, reviewer.pk)
    _seed_people()
    # Someone with a few files of their own (the seed's person holds all 10⁵, an unreal history).
    other = cast.applicant(name="李娜", sequence=14)
    for i in range(3):
        Application.objects.create(number=f"JLOWN{i:011d}", applicant=other, employer=emp, business_type="initial",
                                   state="approved", submitted_at=timezone.now(), reported_at=timezone.now())
    client = review_client(reviewer)
    apps, people = Application._meta.db_table, Applicant._meta.db_table
    target = Application.objects.filter(number="JLPLAN0000000500").values_list("number", flat=True).first()
    requests = [
        ("get", "/review/?sort=deadline", {}), ("get", "/review/?sort=-deadline", {}),
        ("get", "/review/?sort=-submitted", {}), ("get", "/review/?state=approved&sort=deadline", {}),
        ("get", "/review/?state=in_review&sort=-deadline", {}), ("get", f"/review/?reviewer={reviewer.pk}", {}),
        ("get", "/review/team/", {}),
        ("post", "/review/search/", {"q": "王测1000"}), ("post", "/review/search/", {"q": "李"}),
        ("post", "/review/search/", {"q": other.id_number}), ("post", "/review/search/", {"q": target}),
        ("post", "/review/next/", {}),
    ]
    client.get("/review/")  # warm: the first request of a process loads templates and URLconfs
    problems = []
    timings = []
    for method, url, data in requests:
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            r = getattr(client, method)(url, data)
            timings.append((url, data.get("q", ""), round((time.perf_counter() - started) * 1000)))
        assert r.status_code in (200, 302), (url, r.status_code)
        for sql, plan in _plans(ctx, [apps, people]):
            for table in (apps, people):
                # A surname alone matches thousands: reading the table until 200 match is the cheapest plan.
                common_prefix = data.get("q") == "李" and table == people and "Limit" in plan
                if f"Seq Scan on {table}" in plan and not common_prefix:
                    problems.append(f"{url} {data}: sequential scan of {table}: {sql[:300]}\n{plan}")
            # The only count of applications (the team lead's load) reads one reviewer's rows by an index on
            # claimed_by (app_claimed or the foreign key's, as the planner weighs them), never the queue.
            if "COUNT(" in sql.upper() and f'"{apps}"' in sql and "Index Cond: (claimed_by_id" not in plan:
                problems.append(f"{url}: COUNT over {apps} not by reviewer: {sql[:300]}\n{plan}")
    assert not problems, "\n\n".join(problems)
    print("console timings (ms):", timings)
    assert all(ms < 2000 for _, _, ms in timings), timings

    # The name's prefix index is what finds a person.
    plan = Applicant.objects.filter(name__startswith="王测1000").order_by().values("pk")[:200].explain()
    assert "applicant_name_prefix" in plan, plan
