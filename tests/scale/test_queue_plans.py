"""Queues flat at national scale: with 10⁵ applications on PostgreSQL no /review/ page, review-list or employer-list
API page (first or deep) or operators' admin list counts the applications table without a bound or reads it with a
sequential scan (at 10⁶ either costs 0.3–0.6 s per page)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jianli.api import credentials
from jianli.registrations import counts
from jianli.registrations.models import Application
from jianli.testing import cast
from jianli.testing.cast import ops_client, review_client

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
    person = cast.applicant(name="王建国", sequence=12)
    _seed(emp.pk, person.pk, reviewer.pk)
    client = review_client(reviewer)
    review_key = credentials.api_key_create(name="审查系统", scopes=["ministry:review"], user=reviewer)[0]
    staff = cast.staff(emp)
    employer_key = credentials.api_key_create(name="华建 OA", scopes=[f"employer:{emp.pk}"], user=staff.user)[0]
    operator = cast.reviewer("yunwei")
    operator.is_staff = operator.is_superuser = True
    operator.save()
    table = Application._meta.db_table
    problems = []
    pages = [(url, client, {}) for url in PAGES]
    for state in ("awaiting_review", "in_review", "in_correction", "approved", "mine"):
        url = f"/api/v1/review/applications?state={state}&limit=50"
        pages.append((url, client, {"HTTP_X_API_KEY": review_key}))
        deep = client.get(url, HTTP_X_API_KEY=review_key).json()["next_cursor"]
        if deep:
            pages.append((f"{url}&cursor={deep}", client, {"HTTP_X_API_KEY": review_key}))
    first = client.get("/api/v1/employer/applications?state=all", HTTP_X_API_KEY=employer_key).json()
    for url in ("/api/v1/employer/applications?state=all", f"/api/v1/employer/applications?state=all&cursor={first['next_cursor']}"):
        pages.append((url, client, {"HTTP_X_API_KEY": employer_key}))
    admin = ops_client(operator)
    pages += [(url, admin, {}) for url in ("/ops/admin/registrations/application/",
                                            "/ops/admin/registrations/application/?p=50",
                                            "/ops/admin/audit/auditevent/")]
    for url, http, headers in pages:
        with CaptureQueriesContext(connection) as ctx:
            assert http.get(url, **headers).status_code == 200, url
        for q in ctx.captured_queries:
            sql = q["sql"]
            if not sql.lstrip().upper().startswith("SELECT") or f'"{table}"' not in sql:
                continue
            if "COUNT(" in sql.upper() and "LIMIT" not in sql.upper():
                problems.append(f"{url}: COUNT over {table}: {sql[:200]}")
            with connection.cursor() as c:
                c.execute("EXPLAIN " + sql)
                lines = [r[0] for r in c.fetchall()]
            plan = "\n".join(lines)
            # A scan right under a Limit stops after that many matching rows (the bounded count of a list whose
            # rows all match); any other sequential scan reads the whole table.
            unbounded = [i for i, line in enumerate(lines)
                         if f"Seq Scan on {table}" in line and not (i and "Limit" in lines[i - 1])]
            if unbounded:
                problems.append(f"{url}: sequential scan: {sql[:200]}\n{plan}")
    assert not problems, "\n\n".join(problems)
    # The totals the pages show are the workflow's counts, equal to a recount.
    assert counts.by_state(["approved"])["approved"] == Application.objects.filter(state="approved").count()
