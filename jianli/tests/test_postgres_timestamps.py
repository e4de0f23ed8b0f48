"""On PostgreSQL, timestamps are read by psycopg's own loader and come back exactly as written, in UTC."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from psycopg.pq import Format

from jianli.audit.models import AuditEvent
from jianli.postgres import TIMESTAMPTZ_OID, UTCTimestamptzLoader

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the loader is PostgreSQL's")


def test_timestamps_round_trip_to_the_microsecond_in_utc() -> None:
    written = [
        dt.datetime(2026, 12, 3, 23, 59, 59, 999999, tzinfo=ZoneInfo("Asia/Shanghai")),
        dt.datetime(1999, 12, 31, 16, 0, 0, 1, tzinfo=dt.UTC),
        dt.datetime(2038, 1, 19, 3, 14, 8, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
    ]
    ids = [AuditEvent.objects.create(created_at=at, action="check").pk for at in written]
    read = list(AuditEvent.objects.filter(pk__in=ids).order_by("pk").values_list("created_at", flat=True))
    assert read == written
    assert all(at.tzinfo is dt.UTC for at in read)
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::timestamptz", [written[0]])
        assert cursor.fetchone()[0] == written[0]
        assert cursor.cursor.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT) is UTCTimestamptzLoader
