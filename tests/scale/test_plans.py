"""On PostgreSQL with ~20,000 applications: the list pages' queries read an index in order, never the whole table."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.scale import plans

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("query plans are checked on PostgreSQL")


# Lists an index hands over in order: no sort of every open (or every company) application for 20 rows.
IN_INDEX_ORDER = ("review queue, first page", "review queue, state=awaiting_review", "office list, big employer",
                  "office list, big employer, state=approved", "api employer list, all", "api review list")


def test_the_queue_index_is_for_the_queue_states() -> None:
    from jianli.registrations.models import QUEUE_STATES
    from jianli.review.views import OPEN_FOR_REVIEW

    assert list(QUEUE_STATES) == list(OPEN_FOR_REVIEW)


def _unbounded_scan(plan: str) -> bool:
    """A sequential scan of the applications that is not stopped by a Limit right above it (a count capped with
    LIMIT, as the API lists' first-page total is, reads at most that many matching rows)."""
    lines = plan.splitlines()
    return any("Seq Scan on registrations_application" in line and not (i and "Limit" in lines[i - 1])
               for i, line in enumerate(lines))


@pytest.mark.usefixtures("_postgres_only")
def test_list_queries_use_indexes() -> None:
    world = plans.generate()
    found = plans.collect(world)
    for p in found:
        print(f"--- {p.name}: {p.ms:.2f} ms\n{p.plan}")
    for p in found:
        if p.is_count:
            # The closed states' counts read the whole table, once a minute for everyone (review.views.queue_counts).
            if "'approved'" not in p.sql:
                assert not _unbounded_scan(p.plan), f"{p.name}\n{p.sql}\n{p.plan}"
            continue
        assert "Seq Scan on registrations_application" not in p.plan, f"{p.name}\n{p.sql}\n{p.plan}"
        assert "Seq Scan on audit_auditevent" not in p.plan, f"{p.name}\n{p.sql}\n{p.plan}"
        if p.name in IN_INDEX_ORDER:
            assert not p.sorts_applications, f"{p.name}\n{p.sql}\n{p.plan}"
    assert {p.name for p in found} >= set(IN_INDEX_ORDER)
