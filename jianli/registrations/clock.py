"""The statutory clock of an application (the time limits of 《行政许可法》 and the registration rules), counted in working days (see `calendar`).

The ministry receives an application when the employer reports it (`reported_at`); the decision is due
`DECISION_DAYS[type]` working days later (`deadline`), and a 补正 notice is due `CORRECTION_NOTICE_DAYS` working
days after receipt. Time in 补正 does not count: `paused_at` marks the start, and when the application is back with
the reviewers the deadline moves by the working days paused.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from jianli.registrations import calendar
from jianli.registrations.models import Application, State
from jianli.registrations.spec import CORRECTION_NOTICE_DAYS, SPECS

DECISION_DAYS: dict[str, int] = {t: s.decision_days for t, s in SPECS.items()}


def received_on(application: Application) -> dt.date | None:
    return timezone.localdate(application.reported_at) if application.reported_at else None


def correction_notice_due(application: Application) -> dt.date | None:
    received = received_on(application)
    return calendar.add_working_days(received, CORRECTION_NOTICE_DAYS) if received else None


def days_left(application: Application, today: dt.date | None = None) -> int | None:
    """Working days to the deadline (negative when overdue); None while there is no clock or it is paused."""
    if application.deadline is None or application.paused_at is not None or application.state in (
        State.APPROVED, State.REJECTED, State.WITHDRAWN
    ):
        return None
    return calendar.working_days_between(today or timezone.localdate(), application.deadline)


def start_or_resume(application: Application) -> None:
    """确认上报: the first report starts the clock; a report after 补正 resumes it."""
    now = timezone.now()
    if application.reported_at is None:
        application.reported_at = now
        application.deadline = calendar.add_working_days(
            timezone.localdate(now), DECISION_DAYS[application.business_type]
        )
    else:
        resume(application)


def pause(application: Application) -> None:
    application.paused_at = timezone.now()


def resume(application: Application) -> None:
    if application.paused_at is None or application.deadline is None:
        application.paused_at = None
        return
    paused = calendar.working_days_between(timezone.localdate(application.paused_at), timezone.localdate())
    application.deadline = calendar.add_working_days(application.deadline, max(paused, 0))
    application.paused_at = None
