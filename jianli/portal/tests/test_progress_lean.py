"""The progress page is the most visited page at national scale: it reads the session, loads the applicant once
and runs one narrow query per thing it shows; a page view writes no session unless its idle expiry is stale."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jianli.accounts.middleware import TOUCHED, touch_interval
from jianli.portal.tests.test_progress import make_person
from jianli.registrations.models import State
from jianli.testing import cast

pytestmark = pytest.mark.django_db


def signed_in_with_two_applications():  # type: ignore[no-untyped-def]
    person = make_person()
    earlier = cast.application(State.WITHDRAWN, person=person)  # ended first: one open application at a time
    current = cast.application(State.IN_REVIEW, person=person)
    client = Client()
    cast.sign_in(client, person)
    client.get(f"/progress/{current.pk}/")  # the first view of a session renews it
    return client, current, earlier


def test_progress_page_runs_six_narrow_queries_and_writes_nothing(django_assert_num_queries):
    client, current, earlier = signed_in_with_two_applications()
    # session, applicant+profile, the applicant's applications (this one and the earlier), events, messages,
    # documents (好差评: only once ended)
    with django_assert_num_queries(6) as captured:
        response = client.get(f"/progress/{current.pk}/")
    assert response.status_code == 200
    assert earlier.number in response.content.decode()
    sqls = [q["sql"] for q in captured.captured_queries]
    assert all(s.lstrip().upper().startswith("SELECT") for s in sqls), sqls
    applicant_queries = [s for s in sqls if '"accounts_applicant"' in s]
    assert len(applicant_queries) == 1 and '"accounts_profile"' in applicant_queries[0]  # one join, not two loads
    applications = [s for s in sqls if 'FROM "registrations_application" ' in s]
    assert len(applications) == 1
    assert '"data"' not in applications[0] and '"number"' in applications[0]  # 申报信息 is not shown here


def test_a_fresh_session_is_not_written_by_a_page_view():
    client, current, _ = signed_in_with_two_applications()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/progress/{current.pk}/")
    assert response.status_code == 200
    assert not [q for q in captured.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]
    assert "sessionid" not in response.cookies  # nor its cookie sent again


def test_a_stale_session_is_renewed_by_the_next_page_view():
    client, current, _ = signed_in_with_two_applications()
    session = client.session
    session[TOUCHED] = int(time.time()) - touch_interval() - 1
    session.save()
    before = client.session.get_expiry_date()
    time.sleep(1)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/progress/{current.pk}/")
    assert [q for q in captured.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]
    assert response.cookies["sessionid"]["max-age"]
    assert client.session.get_expiry_date() > before
    assert client.session[TOUCHED] >= int(time.time()) - 5


def test_an_anonymous_visitor_gets_no_session():
    response = Client().get("/")
    assert "sessionid" not in response.cookies
