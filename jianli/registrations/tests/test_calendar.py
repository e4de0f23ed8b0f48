from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from jianli.registrations import calendar, clock, services
from jianli.registrations.models import CalendarDay, State
from jianli.testing import cast

D = dt.date


@pytest.fixture(autouse=True)
def _calendar(db):  # type: ignore[no-untyped-def]
    calendar.load_all()
    yield
    calendar.clear_cache()


def at(day: dt.date, hour: int = 10) -> mock._patch:  # type: ignore[type-arg]
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_weekends_holidays_and_make_up_days() -> None:
    assert calendar.is_working_day(D(2026, 9, 30))
    assert not calendar.is_working_day(D(2026, 10, 1))  # 国庆
    assert not calendar.is_working_day(D(2026, 10, 5))  # a Monday inside 国庆
    assert calendar.is_working_day(D(2026, 10, 10))  # Saturday, 调休上班
    assert calendar.is_working_day(D(2026, 9, 20))  # Sunday, 调休上班
    assert not calendar.is_working_day(D(2026, 11, 28))  # an ordinary Saturday
    assert not calendar.is_working_day(D(2026, 2, 17))  # 春节
    assert calendar.is_working_day(D(2026, 2, 14))  # Saturday, 调休上班


def test_add_working_days_over_national_day() -> None:
    # 20 working days from Wednesday 30 September: 8, 9, 10 (Sat, make-up) October, then four weeks to 3 November.
    assert calendar.add_working_days(D(2026, 9, 30), 20) == D(2026, 11, 3)
    assert calendar.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert calendar.add_working_days(D(2026, 9, 30), 0) == D(2026, 9, 30)


def test_working_days_between() -> None:
    assert calendar.working_days_between(D(2026, 9, 30), D(2026, 10, 9)) == 2
    assert calendar.working_days_between(D(2026, 10, 9), D(2026, 9, 30)) == -2
    assert calendar.working_days_between(D(2026, 11, 23), D(2026, 11, 23)) == 0


def test_a_calendar_day_row_overrides_the_week(db) -> None:  # type: ignore[no-untyped-def]
    CalendarDay.objects.create(date=D(2026, 12, 1), is_working_day=False, name="测试")
    calendar.clear_cache()
    assert not calendar.is_working_day(D(2026, 12, 1))


def test_the_command_loads_every_year(db) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import call_command

    CalendarDay.objects.all().delete()
    call_command("load_calendar")
    assert CalendarDay.objects.filter(date__year=2025).exists()
    assert CalendarDay.objects.get(date=D(2026, 10, 10)).is_working_day


def test_received_before_national_day_then_correction_pauses_the_clock(db) -> None:  # type: ignore[no-untyped-def]
    emp, reviewer = cast.employer(), cast.reviewer()
    staff = cast.staff(emp)
    app = cast.submitted(cast.applicant(), emp)
    with at(D(2026, 9, 30)):  # the working day before 国庆
        app = services.application_report(application_id=app.pk, staff=staff)
    assert app.deadline == D(2026, 11, 3)
    assert clock.correction_notice_due(app) == D(2026, 10, 13)
    with at(D(2026, 10, 8)):
        services.application_claim(application_id=app.pk, user=reviewer)
        app = services.application_request_correction(
            application_id=app.pk, user=reviewer,
            problems=[{"kind": "field", "name": "school", "message": "请填写毕业证书上的院校全称"}],
        )
    assert app.state == State.IN_CORRECTION and app.paused_at is not None
    assert clock.days_left(app) is None
    with at(D(2026, 10, 15)):  # six working days in 补正: 9, 10 (make-up Saturday), 12, 13, 14, 15 October
        app = services.application_resubmit_correction(
            application_id=app.pk, applicant=app.applicant, data={"school": "同济大学土木工程学院"}
        )
    assert app.state == State.AWAITING_REVIEW
    assert app.paused_at is None
    assert app.deadline == calendar.add_working_days(D(2026, 11, 3), 6) == D(2026, 11, 11)


def test_received_on_the_friday_before_qingming(db) -> None:  # type: ignore[no-untyped-def]
    """Friday 3 April 2026, then 清明 (4–6 April) and 劳动节 (1–5 May) fall inside the 20 working days."""
    emp = cast.employer()
    app = cast.submitted(cast.applicant(), emp)
    with at(D(2026, 4, 3)):
        app = services.application_report(application_id=app.pk, staff=cast.staff(emp))
    # 7–30 April: 18 working days; 1–5 May holiday; 6 and 7 May: the 19th and 20th.
    assert app.deadline == D(2026, 5, 7)
    assert clock.correction_notice_due(app) == D(2026, 4, 13)
