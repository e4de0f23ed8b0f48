"""Queues flat at national scale: with 10⁵ applications on PostgreSQL no /review/ page counts the applications
table or reads it with a sequential scan (at 10⁶ either costs 0.3–0.6 s per page)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jianli import testing
from jianli.office.tests.helpers import review_client
from jianli.registrations import counts
from jianli.registrations.models import Application
from jianli.registrations.tests import cast

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="plans are PostgreSQL's"),
]

ROWS = 100_000
PAGES = ["/review/", "/review/?state=in_review", "/review/?state=approved", "/review/?type=initial&employer=华建",
         "/review/?mine=1", "/review/?due=soon", "/review/?due=overdue", "/review/?pending=1"]


def _seed(employer_id: int, applicant_id: int, reviewer_id: int) -> None:
    table = Application._meta.db_table
    states = "ARRAY['approved','approved','approved','approved','approved','rejected','withdrawn','awaiting_review'," \
             "'in_review','in_correction']"
    with connection.cursor() as c:
        c.execute(f"""
            INSERT INTO {table} (number, applicant_id, business_type, employer_id, state, data, step, version,
                created_at, updated_at, submitted_at, reported_at, deadline, claimed_by_id, decision_reason, correction_items,
                decision_comment)
            SELECT 'JLPLAN' || lpad(i::text, 10, '0'), %s, 'initial', %s, ({states})[1 + i %% 10], '{{}}', 1, 1,
                now(), now(), now() - i * interval '1 minute', now() - i * interval '1 minute',
                current_date + (i %% 30), CASE WHEN i %% 10 = 8 THEN %s END, '', '[]', ''
            FROM generate_series(1, %s) AS i""", [applicant_id, employer_id, reviewer_id, ROWS])
        c.execute(f"ANALYZE {table}")
    counts.rebuild()


def test_no_queue_page_counts_or_scans_the_applications(db) -> None:  # type: ignore[no-untyped-def]
    emp = cast.employer(1, "北京华建工程监理有限公司")
    reviewer = cast.reviewer("shencha", "审查", "复核")
    person = testing.make_applicant(name="王建国", sequence=12)
    _seed(emp.pk, person.pk, reviewer.pk)
    client = review_client(reviewer)
    table = Application._meta.db_table
    problems = []
    for url in PAGES:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200, url
        for q in ctx.captured_queries:
            sql = q["sql"]
            if not sql.lstrip().upper().startswith("SELECT") or f'"{table}"' not in sql:
                continue
            if "COUNT(" in sql.upper():
                problems.append(f"{url}: COUNT over {table}: {sql[:200]}")
            with connection.cursor() as c:
                c.execute("EXPLAIN " + sql)
                plan = "\n".join(r[0] for r in c.fetchall())
            if f"Seq Scan on {table}" in plan:
                problems.append(f"{url}: sequential scan: {sql[:200]}\n{plan}")
    assert not problems, "\n\n".join(problems)
    # The totals the pages show are the workflow's counts, equal to a recount.
    assert counts.by_state(["approved"])["approved"] == Application.objects.filter(state="approved").count()
