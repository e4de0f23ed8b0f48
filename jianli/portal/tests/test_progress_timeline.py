"""The derivation of the four steps of 图12 from events: a plain function, one case per State."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from jianli.registrations.models import State
from jianli.registrations.progress import Node, timeline

T0 = dt.datetime(2026, 3, 21, 2, 0, tzinfo=dt.UTC)


@dataclass
class Ev:
    action: str
    from_state: str
    to_state: str
    created_at: dt.datetime
    comment: str = ""


def run(*steps: tuple[str, str, str]) -> list[Ev]:
    return [Ev(a, f, t, T0 + dt.timedelta(days=i)) for i, (a, f, t) in enumerate(steps)]


SUBMIT = ("submit", "draft", "awaiting_employer")
REPORT = ("report", "awaiting_employer", "awaiting_review")
CLAIM = ("claim", "awaiting_review", "in_review")

CASES = {
    State.DRAFT: ([], "pending pending pending pending"),
    State.AWAITING_EMPLOYER: (run(SUBMIT), "done active pending pending"),
    State.RETURNED: (run(SUBMIT, ("return", "awaiting_employer", "returned")), "done failed pending pending"),
    State.AWAITING_REVIEW: (run(SUBMIT, REPORT), "done done active pending"),
    State.IN_REVIEW: (run(SUBMIT, REPORT, CLAIM), "done done active pending"),
    State.IN_CORRECTION: (
        run(SUBMIT, REPORT, CLAIM, ("request_correction", "in_review", "in_correction")),
        "done done active pending",
    ),
    State.APPROVED: (run(SUBMIT, REPORT, CLAIM, ("approve", "in_review", "approved")), "done done done done"),
    State.REJECTED: (run(SUBMIT, REPORT, CLAIM, ("reject", "in_review", "rejected")), "done done failed done"),
    State.WITHDRAWN: (run(SUBMIT, ("withdraw", "awaiting_employer", "withdrawn")), "done pending pending done"),
}


def test_every_state_has_a_case():
    assert set(CASES) == set(State)


@pytest.mark.parametrize("state", list(State))
def test_nodes_for_each_state(state):
    events, expected = CASES[state]
    steps = timeline(events)
    assert [s.label for s in steps] == ["提交申请", "企业上报", "部级审核", "办结"]
    assert " ".join(s.node for s in steps) == expected


def test_submission_is_dated_and_labels_follow_the_legend():
    steps = timeline(run(SUBMIT))
    assert steps[0].day == dt.date(2026, 3, 21)
    assert [n.label for n in Node] == ["未进行", "正在进行", "未通过", "已完成"]
    assert steps[1].note == "待企业上报"


def test_withdrawn_after_report_keeps_the_report_done_and_dates_the_end():
    steps = timeline(run(SUBMIT, REPORT, ("withdraw", "awaiting_review", "withdrawn")))
    assert [s.node for s in steps] == [Node.DONE, Node.DONE, Node.PENDING, Node.DONE]
    assert steps[3].note == "已撤回" and steps[3].day == dt.date(2026, 3, 23)


def test_resubmitted_after_return_is_waiting_for_the_employer_again():
    steps = timeline(run(SUBMIT, ("return", "awaiting_employer", "returned"), ("resubmit", "returned", "awaiting_employer")))
    assert [s.node for s in steps] == [Node.DONE, Node.ACTIVE, Node.PENDING, Node.PENDING]
    assert steps[0].day == dt.date(2026, 3, 21)


def test_correction_resubmitted_is_back_in_review_and_decision_dates_the_end():
    events = run(
        SUBMIT, REPORT, CLAIM, ("request_correction", "in_review", "in_correction"),
        ("resubmit_correction", "in_correction", "awaiting_review"), CLAIM, ("approve", "in_review", "approved"),
    )
    steps = timeline(events)
    assert steps[3].node == Node.DONE and steps[3].day == dt.date(2026, 3, 27)
    assert steps[1].day == dt.date(2026, 3, 22)
