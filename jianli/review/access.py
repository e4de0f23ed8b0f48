"""Who may use the ministry console, and the small request helpers its views share."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils import timezone

from jianli import staff_signin as signin
from jianli import text
from jianli.review import work

staff_required = signin.staff_required(work.may_use_console, "review:login", "review:password")
signed_in = signin.staff_required(work.may_use_console, "review:login")


def reviewer(request: HttpRequest) -> User:
    return cast(User, request.user)


def parse_day(value: str) -> dt.date | None:
    return text.parse_date(value)


def day_start(day: dt.date) -> dt.datetime:
    """Midnight (local time) as a bound on the column itself: `__date` would cast every row and skip the index."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
