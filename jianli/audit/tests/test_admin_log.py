"""The operators' audit log: its filters offer the actions the log holds and the kinds of actor without reading
every row (the log is the largest table), and filter as Django's would."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jianli.audit.models import AuditEvent
from jianli.testing import cast
from jianli.testing.cast import ops_client

pytestmark = pytest.mark.django_db
LOG = "/ops/admin/audit/auditevent/"


def test_the_filters_offer_what_the_log_holds_without_select_distinct_and_filter() -> None:
    operator = cast.reviewer("yunwei")
    operator.is_staff = operator.is_superuser = True
    operator.save()
    client = ops_client(operator)
    AuditEvent.objects.bulk_create(
        [AuditEvent(action=action, actor_kind=kind, actor_label=f"{action}-{i}")
         for i, (action, kind) in enumerate([("applicant_signed_in", "applicant")] * 3
                                           + [("personal_data_viewed", "staff")] * 2 + [("zz_last", "system")])]
    )
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(LOG).content.decode()
    assert not [q["sql"] for q in ctx.captured_queries if "DISTINCT" in q["sql"].upper()]
    for action in ("applicant_signed_in", "personal_data_viewed", "zz_last"):
        assert f"?action={action}" in page
    assert "?actor_kind=staff" in page and "未登录" in page

    staff_only = client.get(LOG + "?actor_kind=staff").content.decode()
    assert "personal_data_viewed-3" in staff_only and "applicant_signed_in-0" not in staff_only
    signed_in = client.get(LOG + "?action=applicant_signed_in").content.decode()
    assert "applicant_signed_in-2" in signed_in and "zz_last-5" not in signed_in
