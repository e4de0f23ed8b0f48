from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jianli.accounts.session_store import SessionStore

pytestmark = pytest.mark.django_db


def test_a_live_session_reads_back_in_one_query_and_an_expired_or_unknown_one_is_empty() -> None:
    store = SessionStore()
    store["applicant_id"] = 7
    store.save()
    with CaptureQueriesContext(connection) as ctx:
        again = SessionStore(store.session_key)
        assert again["applicant_id"] == 7
    assert len(ctx.captured_queries) == 1

    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    expired = SessionStore(store.session_key)
    assert "applicant_id" not in expired and expired.session_key is None

    unknown = SessionStore("x" * 32)
    assert dict(unknown.items()) == {} and unknown.session_key is None
