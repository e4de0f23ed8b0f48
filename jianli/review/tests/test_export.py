"""Excel export of the queue (as filtered) and of the register, for review staff only, audited."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.test import Client
from openpyxl import load_workbook

from jianli.audit.models import AuditEvent
from jianli.registrations import services
from jianli.testing import cast
from jianli.testing.cast import code, device_for

pytestmark = pytest.mark.django_db


def _reviewer_client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.post("/review/login/", {"username": user.username, "password": cast.PASSWORD,
                                   "token": code(device_for(user))})
    return client


def _sheet(response) -> list[tuple]:  # type: ignore[no-untyped-def,type-arg]
    content = b"".join(response.streaming_content)
    return list(load_workbook(BytesIO(content), read_only=True).active.iter_rows(values_only=True))


def test_queue_and_register_export_for_review_staff_only():
    emp = cast.employer(1, "北京华建工程监理有限公司")
    staff = cast.staff(emp)
    reviewer = cast.reviewer("shencha")
    apps = [cast.submitted(cast.applicant(20 + 2 * i, f"申请人{i}"), emp) for i in range(3)]
    for a in apps[:2]:
        services.application_report(application_id=a.pk, staff=staff)
    person = cast.applicant(name="李工", sequence=90)
    cast.registration(person, emp, valid_until=dt.date(2030, 1, 1), specialties=("房屋建筑工程", "市政公用工程"))

    client = _reviewer_client(reviewer)
    queue = client.get("/review/export/queue.xlsx")
    assert queue.status_code == 200 and queue["Content-Disposition"].startswith("attachment")
    rows = _sheet(queue)
    assert rows[0][0] == "办件编号" and {r[0] for r in rows[1:]} == {apps[0].number, apps[1].number}
    assert all(r[2] == "待审查" for r in rows[1:])
    assert len(_sheet(client.get("/review/export/queue.xlsx?type=renewal"))) == 1
    register = _sheet(client.get("/review/export/register.xlsx"))
    assert register[1][1] == "李工" and register[1][2] == "房屋建筑工程、市政公用工程"
    text = repr(register) + repr(rows)
    assert person.id_number not in text and person.mobile not in text
    assert AuditEvent.objects.filter(action="data_exported").count() == 3
    assert Client().get("/review/export/register.xlsx").status_code == 302
