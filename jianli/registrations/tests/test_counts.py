"""The per-state counts the queues show are kept by the workflow and equal a recount of the applications."""

from __future__ import annotations

import pytest

from jianli.registrations import counts, services
from jianli.registrations.models import StateCount
from jianli.testing import cast

pytestmark = pytest.mark.django_db


def _kept() -> dict[tuple[str, str, bool], int]:
    return {(c.state, c.business_type, c.reported): c.n for c in StateCount.objects.all() if c.n}


def test_transitions_keep_the_counts_equal_to_a_recount() -> None:
    emp = cast.employer(1)
    st = cast.staff(emp)
    user = cast.reviewer("shencha", "审查")
    apps = [cast.submitted(cast.applicant(10 + i), emp) for i in range(3)]
    cast.in_review(apps[0], st, user)
    services.application_report(application_id=apps[1].pk, staff=st)
    assert counts.by_state() == {"in_review": 1, "awaiting_review": 1}
    assert counts.by_state(reported=False) == {"awaiting_employer": 1}
    services.application_release(application_id=apps[0].pk, user=user)
    assert counts.by_state() == {"awaiting_review": 2}
    kept = _kept()
    counts.rebuild()
    assert _kept() == kept


def test_by_state_and_type_reads_the_kept_counts_of_the_states_asked() -> None:
    StateCount.objects.bulk_create([
        StateCount(state="awaiting_review", business_type="initial", reported=True, n=3),
        StateCount(state="awaiting_review", business_type="renewal", reported=True, n=0),
        StateCount(state="in_review", business_type="initial", reported=True, n=2),
        StateCount(state="in_review", business_type="initial", reported=False, n=5),
        StateCount(state="approved", business_type="initial", reported=True, n=7),
    ])
    assert counts.by_state_and_type(["awaiting_review", "in_review"]) == {
        ("awaiting_review", "initial"): 3, ("in_review", "initial"): 2,
    }
    assert counts.by_state_and_type(["in_review"], reported=False) == {("in_review", "initial"): 5}
    assert counts.by_state_and_type([]) == {}
