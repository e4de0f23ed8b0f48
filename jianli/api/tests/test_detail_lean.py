"""The API detail, the most called operation of the mini program: the bearer token (with its applicant and
profile) in one query, then the application, its events and its attachments; nothing is written."""

from __future__ import annotations

import pytest

from jianli.api import credentials
from jianli.portal.tests.test_progress import make_person
from jianli.registrations.models import State
from jianli.testing import cast

pytestmark = pytest.mark.django_db


def test_api_detail_runs_four_selects(api, django_assert_num_queries):
    person = make_person()
    application = cast.application(State.IN_REVIEW, person=person)
    pair = credentials.token_pair_issue(applicant=person, profile=None)  # the profile is found through the applicant
    api.get(f"applications/{application.pk}", token=pair.access_token)
    with django_assert_num_queries(4) as captured:  # token+applicant+profile, application, events, attachments
        response = api.get(f"applications/{application.pk}", token=pair.access_token)
    assert response.status_code == 200, response.content
    assert response.json()["number"] == application.number
    sqls = [q["sql"] for q in captured.captured_queries]
    assert all(s.lstrip().upper().startswith("SELECT") for s in sqls), sqls
    assert '"accounts_profile"' in sqls[0] and '"accounts_applicant"' in sqls[0]
