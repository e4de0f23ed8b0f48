"""The queue's rows, written out by review.queue_rows: each state of the clock, escaping, missing employer or
reviewer, and the empty queue."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User

from jianli.accounts.models import Applicant
from jianli.employers.models import Employer
from jianli.registrations.models import Application, BusinessType, State
from jianli.review.rows import queue_rows


def row(number: str, days_left: int | None, **extra: object) -> Application:
    app = Application(number=number, business_type=BusinessType.INITIAL, state=State.IN_REVIEW,
                      applicant=Applicant(name="王<b>甲</b>"), submitted_at=dt.datetime(2026, 1, 5, 9, 0),
                      deadline=dt.date(2026, 2, 2), **extra)
    app.days_left = days_left  # type: ignore[attr-defined]
    return app


def test_each_clock_state_and_what_is_missing() -> None:
    reviewer = User(first_name="张审查")
    html = queue_rows([
        row("JL1", -3, employer=Employer(name="甲&乙监理"), claimed_by=reviewer),
        row("JL2", 2),
        row("JL3", 9),
        row("JL4", None, paused_at=dt.datetime(2026, 1, 6, 9, 0)),
        row("JL5", None),
    ])
    rows = html.split("<tr")[1:]
    assert ' class="overdue"' in rows[0][:20] and '<strong class="danger">超期3天</strong>' in rows[0]
    assert "<td>甲&amp;乙监理</td>" in rows[0] and "<td>张审查</td></tr>" in rows[0]
    assert "王&lt;b&gt;甲&lt;/b&gt;" in rows[0] and "<b>" not in html
    assert '<a href="/review/applications/JL1/">JL1</a>' in rows[0] and 'id="pick-JL1"' in rows[0]
    assert "<td>2026/01/05</td>" in rows[0] and "<td>2026/02/02</td>" in rows[0]
    assert '<span class="state state-in_review">审查中</span>' in rows[0] and "<td>初始注册</td>" in rows[0]
    assert '<strong class="warn">2</strong>' in rows[1] and "overdue" not in rows[1]
    assert "<td>9</td>" in rows[2]
    assert "<td>补正暂停</td>" in rows[3] and "<td>—</td>" in rows[4]
    assert "<td></td></tr>" in rows[1]  # nobody claimed it


def test_an_empty_queue() -> None:
    assert queue_rows([]) == '<tr><td colspan="10">没有符合条件的办件。</td></tr>'
