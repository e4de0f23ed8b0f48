"""The operators' audit log: its filters offer the actions the log holds and the kinds of actor without reading
every row (the log is the largest table), and filter as Django's would."""

from __future__ import annotations

from unittest import mock

import pytest
from django.contrib.admin.templatetags import admin_urls
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from jianli.audit.models import AuditEvent
from jianli.testing import cast
from jianli.testing.cast import ops_client

pytestmark = pytest.mark.django_db
LOG = "/ops/admin/audit/auditevent/"


@pytest.fixture
def operator_session() -> Client:
    """An operator's admin session (password and TOTP)."""
    operator = cast.reviewer("yunwei")
    operator.is_staff = operator.is_superuser = True
    operator.save()
    return ops_client(operator)


def test_the_filters_offer_what_the_log_holds_without_select_distinct_and_filter(operator_session: Client) -> None:
    client = operator_session
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


def test_a_filtered_page_links_its_rows_as_django_would_without_resolving_each(operator_session: Client) -> None:
    client = operator_session
    AuditEvent.objects.bulk_create(
        [AuditEvent(action="personal_data_viewed", actor_kind="staff", actor_label=f"row-{i}") for i in range(60)]
    )
    shown = list(AuditEvent.objects.filter(actor_kind="staff").order_by("-pk").values_list("pk", flat=True))[50:]
    with mock.patch.object(admin_urls, "resolve", wraps=resolve) as resolved:
        page = client.get(LOG + "?actor_kind=staff&p=2").content.decode()
    assert len(shown) > 10 and resolved.call_count < 5  # not once a row (the 60 and the operator's sign-in)
    filters = "_changelist_filters=actor_kind%3Dstaff%26p%3D2"
    for pk in shown:
        url = reverse("admin:audit_auditevent_change", args=(pk,))
        django_link = admin_urls.add_preserved_filters({"preserved_filters": filters, "opts": AuditEvent._meta}, url)
        assert f'href="{django_link.replace("&", "&amp;")}"' in page
