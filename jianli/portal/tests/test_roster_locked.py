"""The roster is the source of truth: 资格证书编号, 取得日期 and 专业类别 of an initial registration come from the
roster (资格库), are shown read-only, never taken from a POST (ignored) or the API (refused at the field), and are
re-synced when the draft is opened or submitted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from jianli.portal.tests.test_apply import initial_form
from jianli.registrations.models import Application, ApplicationVersion, Qualification
from jianli.testing import cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def employer():
    return cast.employer()


@pytest.fixture
def applicant():
    applicant = cast.applicant()
    cast.qualification(applicant, certificate_number="JL2024110100031")
    return applicant


@pytest.fixture
def client(applicant) -> Client:
    client = Client()
    cast.sign_in(client, applicant)
    return client


def test_page_shows_the_roster_record_read_only_with_whom_to_contact(client):
    client.post("/apply/initial/", {"all": "on"})
    page = client.get("/apply/initial/info/").content.decode()
    assert "JL2024110100031" in page and "2024-10-20" in page and "土木建筑工程" in page
    assert page.count("信息来自资格库，不能修改；如有误请联系") == 1
    # Not an input anyone can type into.
    assert 'name="qualification_number"' not in page and 'name="qualification_date"' not in page
    assert 'name="exam_category"' not in page


def test_a_typed_different_value_is_ignored_on_the_page(client, applicant, employer):
    client.post("/apply/initial/", {"all": "on"})
    form = {**initial_form(employer), "qualification_number": "WRONG-999", "qualification_date": "2023-01-01"}
    response = client.post("/apply/initial/info/", form)
    assert response.status_code == 302, response.content.decode()
    client.post("/apply/initial/summary/", {"commitment": "on"})
    data = ApplicationVersion.objects.get().data
    assert data["qualification_number"] == "JL2024110100031" and data["qualification_date"] == "2024-10-20"


def test_a_roster_edit_reaches_the_draft_when_it_is_opened(client, applicant):
    client.post("/apply/initial/", {"all": "on"})
    Qualification.objects.filter(certificate_number="JL2024110100031").update(obtained_on=dt.date(2024, 11, 1))
    page = client.get("/apply/initial/info/").content.decode()
    assert "2024-11-01" in page
    assert Application.objects.get().data["qualification_date"] == "2024-11-01"


def test_without_a_roster_record_the_page_says_so(client, applicant):
    client.post("/apply/initial/", {"all": "on"})
    Qualification.objects.all().delete()  # removed from the roster after the draft was started
    page = client.get("/apply/initial/info/").content.decode()
    assert "在监理工程师职业资格库中未查询到与您的姓名和身份证号码相符的资格证书" in page
    assert "未查询到" in page
