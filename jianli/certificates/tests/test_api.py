"""The API of certificates: mine (list and PDF), verification, the register (no personal field ever)."""

from __future__ import annotations

import base64
import json

import pytest

from jianli.api import credentials
from jianli.certificates.tests.helpers import cancel, registered, signature_status
from jianli.testing.cast import Api

pytestmark = pytest.mark.django_db


def test_applicant_lists_and_downloads_certificates_and_anyone_verifies_them(settings):
    settings.SITE_URL = "https://jianli.example.cn"
    registration = registered()
    person = registration.applicant
    token = credentials.token_pair_issue(applicant=person, profile=person.profile).access_token
    api = Api()
    (mine,) = api.get("me/certificates", token=token).json()
    assert mine["number"] == registration.current_certificate.number and mine["status"] == "valid"
    assert mine["registration"]["registration_number"] == registration.number
    assert mine["verify_url"].startswith("https://jianli.example.cn/verify/")
    pdf = api.get(f"me/certificates/{mine['number']}/pdf", token=token).json()
    assert signature_status(base64.b64decode(pdf["content"])).bottom_line
    assert api.get("me/certificates/NOPE/pdf", token=token).status_code == 404
    assert api.get("me/certificates").status_code == 401

    verify_token = mine["verify_url"].rsplit("/", 1)[1]
    checked = api.get(f"verify/{verify_token}")
    assert checked.status_code == 200 and checked.json()["status_label"] == "有效"
    cancel(registration)
    assert api.get(f"verify/{verify_token}").json()["status"] == "cancelled"
    assert api.get("verify/unknown").status_code == 404
    body = json.dumps(checked.json(), ensure_ascii=False)
    assert person.id_number not in body and person.mobile not in body


def test_register_api_answers_by_name_and_number_or_employer_and_never_by_personal_fields():
    registration = registered()
    person = registration.applicant
    api = Api()
    found = api.get(f"register?name={person.name}&number={registration.number}").json()
    assert found["total"] == 1 and found["records"][0]["registration_number"] == registration.number
    assert set(found["records"][0]) == {
        "name", "registration_number", "specialties", "employer", "valid_from", "valid_until", "status"}
    for value in (person.id_number, person.mobile, person.name):
        for field in ("name", "number", "employer"):
            r = api.get(f"register?{field}={value}")
            assert r.status_code in (200, 422) and (r.status_code == 422 or r.json()["total"] == 0)
    bad = api.get("register")
    assert bad.status_code == 422 and bad.json()["fields"]["name"]
    assert api.get("register?unknown=1").status_code == 422
