"""The API refuses a 资格证书编号 other than the roster's (资格库) at the field; the same value passes."""

from __future__ import annotations

import pytest

from jianli.registrations.models import Application, BusinessType
from jianli.testing.cast import api_person, qualification

pytestmark = pytest.mark.django_db


def test_api_refuses_a_different_value_at_the_field_and_accepts_the_same(api):
    person = api_person("周敏", 45)
    qualification(person.applicant, as_typed=True)
    body = api.post("drafts/initial", token=person.access).json()
    number = body["data"]["qualification_number"]
    assert number and body["data"]["qualification_date"] == "2024-10-20"
    r = api.patch("drafts/initial", {"data": {"qualification_number": "WRONG-999", "school": "同济大学"}},
                  token=person.access)
    assert r.status_code == 422 and set(r.json()["fields"]) == {"qualification_number"}
    assert "资格库" in r.json()["fields"]["qualification_number"]
    draft = Application.objects.get(applicant=person.applicant, business_type=BusinessType.INITIAL)
    assert draft.data["qualification_number"] == number and "school" not in draft.data
    r = api.patch("drafts/initial", {"data": {"qualification_number": number, "school": "同济大学"}},
                  token=person.access)
    assert r.status_code == 200 and r.json()["data"]["school"] == "同济大学"
