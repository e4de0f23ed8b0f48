"""统计分析 (issue 17 item 5): the dashboard's figures on known data (run on SQLite and on PostgreSQL), its filters,
and its charts (inline SVG with no inline style: the CSP allows none)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from jianli.ratings.models import Rating
from jianli.registrations.models import Application, ApplicationEvent, BusinessType, State
from jianli.review import stats
from jianli.testing import cast
from jianli.testing.cast import review_client

UTC = dt.UTC
TODAY = dt.date(2026, 12, 2)


def at(y: int, m: int, d: int, h: int = 2) -> dt.datetime:
    return dt.datetime(y, m, d, h, tzinfo=UTC)


@pytest.fixture
def known(db):  # type: ignore[no-untyped-def]
    a, b = cast.employer(1, "甲监理公司"), cast.employer(2, "乙咨询公司")
    people = [cast.applicant(10 + 2 * i, f"申请人{i}") for i in range(6)]

    def app(n, emp, kind, state, submitted, reported=None, hours=None, deadline=None):  # type: ignore[no-untyped-def]
        return Application.objects.create(
            number=f"JL2026TEST{n:04d}", applicant=people[n], employer=emp, business_type=kind, state=state,
            submitted_at=submitted, reported_at=reported,
            decided_at=reported + dt.timedelta(hours=hours) if hours is not None else None, deadline=deadline,
        )

    # 17:00 UTC on 30 September is 1 October in Beijing: counted in 2026-10
    first = app(0, a, BusinessType.INITIAL, State.APPROVED, at(2026, 9, 30, 17), at(2026, 10, 8), 48)
    second = app(1, a, BusinessType.RENEWAL, State.REJECTED, at(2026, 11, 3), at(2026, 11, 4), 240)
    ApplicationEvent.objects.create(application=second, action="request_correction", from_state=State.IN_REVIEW,
                                    to_state=State.IN_CORRECTION, actor_kind="reviewer")
    app(2, a, BusinessType.CHANGE, State.IN_REVIEW, at(2026, 11, 10), at(2026, 11, 10), deadline=TODAY - dt.timedelta(days=1))
    app(3, b, BusinessType.INITIAL, State.AWAITING_EMPLOYER, at(2026, 11, 20))
    fifth = app(4, b, BusinessType.CANCELLATION, State.APPROVED, at(2026, 8, 31, 23), at(2026, 9, 2), 96)
    Application.objects.create(applicant=people[5], business_type=BusinessType.INITIAL)  # a draft: never counted
    Rating.objects.create(application=first, level=5)
    Rating.objects.create(application=second, level=1, comment="慢")
    Rating.objects.create(application=fifth, level=4)
    return {"a": a, "b": b}


def test_figures_on_known_data(known) -> None:  # type: ignore[no-untyped-def]
    board = stats.dashboard(stats.Filters(), today=TODAY)
    assert board.total == 5
    assert dict(board.by_type) == {"初始注册": 2, "延续注册": 1, "变更注册": 1, "注销注册": 1, "证书更换": 0}
    by_state = dict(board.by_state)
    assert (by_state["准予注册"], by_state["不予注册"], by_state["审查中"], by_state["待企业上报"]) == (2, 1, 1, 1)
    assert by_state["填写中"] == 0 if "填写中" in by_state else True
    # 23:00 UTC on 31 August is 1 September in Beijing
    assert board.by_month == [("2026-09", 1), ("2026-10", 1), ("2026-11", 3)]
    # decisions after 48, 96 and 240 hours: nearest-rank median 96 h, 90th percentile 240 h
    assert (board.decided, board.median_days, board.p90_days) == (3, 4.0, 10.0)
    assert board.overdue == 1
    assert (board.reported, board.corrected, board.correction_rate) == (4, 1, 0.25)
    assert [n for _, _, n in board.ratings.counts] == [1, 1, 0, 0, 1]
    assert round(board.ratings.average or 0, 2) == 3.33 and board.ratings.poor == 1


def test_filters_by_employer_and_date(known) -> None:  # type: ignore[no-untyped-def]
    by_a = stats.dashboard(stats.Filters(employer="甲监理"), today=TODAY)
    assert by_a.total == 3 and (by_a.median_days, by_a.p90_days) == (2.0, 10.0) and by_a.ratings.total == 2
    assert stats.dashboard(stats.Filters(employer=known["b"].uscc), today=TODAY).total == 2
    november = stats.dashboard(stats.Filters(start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30)), today=TODAY)
    assert november.total == 3 and november.by_month == [("2026-11", 3)] and november.overdue == 1
    # the day bounds are Beijing days: 30 September 17:00 UTC is 1 October
    october = stats.dashboard(stats.Filters(start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 1)), today=TODAY)
    assert october.total == 1
    empty = stats.dashboard(stats.Filters(employer="没有这家"), today=TODAY)
    assert (empty.total, empty.median_days, empty.correction_rate, empty.by_month) == (0, None, None, [])


def test_percentile_nearest_rank() -> None:
    assert stats.percentile([], 0.5) is None
    assert stats.percentile([(5, 1)], 0.9) == 5
    assert stats.percentile([(1, 5), (2, 4), (10, 1)], 0.5) == 1
    assert stats.percentile([(1, 5), (2, 4), (10, 1)], 0.9) == 2
    assert stats.percentile([(1, 5), (2, 4), (10, 2)], 0.9) == 10


def test_the_page_draws_svg_under_the_csp_and_checks_its_filters(known) -> None:  # type: ignore[no-untyped-def]
    client = review_client(cast.reviewer())
    r = client.get("/review/stats/")
    page = r.content.decode()
    assert r.status_code == 200 and page.count("<svg") == 4 and 'data-kpi="overdue">1<' in page
    assert "default-src 'self'" in r["Content-Security-Policy"]
    for svg in re.findall(r"<svg.*?</svg>", page, re.S):
        assert " style=" not in svg and "<style" not in svg and "<script" not in svg
    assert 'data-kpi="total">3<' in client.get("/review/stats/?employer=甲监理").content.decode()
    r = client.get("/review/stats/?from=2026-13-01&to=2026-01-01")
    assert r.status_code == 422 and "开始日期格式应为" in r.content.decode()
    r = client.get("/review/stats/?from=2026-12-01&to=2026-01-01")
    assert r.status_code == 422 and "结束日期不能早于开始日期" in r.content.decode()
    assert Client().get("/review/stats/").status_code == 302
