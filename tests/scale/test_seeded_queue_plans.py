"""The pages `make bench` measures, on a realistic data set: `jianli seed` with 10⁵ applications on PostgreSQL
(states, types, employers and dates as at national scale, so the planner sees real selectivities). No review
queue page (first, deep, each filter, each sort) and no employer's list counts the applications without a bound
or reads them with a sequential scan: at 10⁶ either costs 0.3–0.6 s per page."""

from __future__ import annotations

import urllib.parse

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jianli.registrations.models import Application, State
from jianli.testing import cast
from jianli.testing.cast import office_client, review_client

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="plans are PostgreSQL's"),
]

ROWS = 100_000
TABLE = Application._meta.db_table


def problems_of(url: str, captured: list[dict[str, str]]) -> list[str]:
    found = []
    for q in captured:
        sql = q["sql"]
        if not sql.lstrip().upper().startswith("SELECT") or f'"{TABLE}"' not in sql:
            continue
        if "COUNT(" in sql.upper() and "LIMIT" not in sql.upper():
            found.append(f"{url}: COUNT over {TABLE}: {sql[:300]}")
        with connection.cursor() as c:
            c.execute("EXPLAIN " + sql)
            lines = [r[0] for r in c.fetchall()]
        # A scan right under a Limit stops after that many matching rows; any other reads the whole table.
        if any(f"Seq Scan on {TABLE}" in line and not (i and "Limit" in lines[i - 1]) for i, line in enumerate(lines)):
            found.append(f"{url}: sequential scan: {sql[:300]}\n" + "\n".join(lines))
    return found


def test_no_queue_page_or_employer_list_counts_or_scans_the_seeded_applications() -> None:
    call_command("seed", applications=ROWS)
    with connection.cursor() as c:
        c.execute(f"ANALYZE {TABLE}")
    reviewer = cast.reviewer("shencha", "审查", "复核", "组长")
    review = review_client(reviewer)
    busiest = (Application.objects.exclude(employer=None).values_list("employer_id", flat=True)
               .order_by("-employer_id").first())
    employer = Application.objects.filter(employer_id=busiest).first().employer
    office = office_client(cast.staff(employer))

    queue = Application.objects.filter(state__in=[State.AWAITING_REVIEW, State.IN_REVIEW]).exclude(submitted_at=None)
    deep = queue.order_by("submitted_at", "id")[queue.count() * 4 // 5]
    after = urllib.parse.quote(f"{deep.submitted_at.isoformat()}_{deep.pk}")
    pages = [(url, review) for url in (
        "/review/", f"/review/?after={after}", "/review/?state=awaiting_review", "/review/?state=in_review",
        "/review/?state=approved", "/review/?type=renewal", "/review/?due=soon", "/review/?due=overdue",
        f"/review/?employer={employer.uscc}", "/review/?sort=deadline", "/review/?sort=-deadline",
        "/review/?sort=-submitted", "/review/?mine=1", "/review/?pending=1",
    )]
    pages += [(url, office) for url in ("/office/", "/office/?state=approved", "/office/?type=renewal")]
    first = office.get("/office/")
    if first.context["page"].next_cursor:
        pages.append((f"/office/?after={urllib.parse.quote(first.context['page'].next_cursor)}", office))

    problems = []
    for url, client in pages:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200, url
        problems += problems_of(url, ctx.captured_queries)
    assert not problems, "\n\n".join(problems)
