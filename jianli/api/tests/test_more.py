"""信息修改 through the API: a new mobile number with an SMS code sent to it; a new 证件照 checked against a capture."""

from __future__ import annotations

import pytest

from jianli import testing
from jianli.api.tests.conftest import b64

pytestmark = pytest.mark.django_db


def test_mobile_change_needs_the_code_sent_to_the_new_number(api, alice, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEMO = True
    r = api.post("me/mobile", {"mobile": "13911112222", "sms_code": "000000"}, token=alice.access)
    assert r.status_code == 422 and "sms_code" in r.json()["fields"]
    code = api.post("sms-codes", {"mobile": "13911112222"}, token=alice.access).json()["demo_code"]
    r = api.post("me/mobile", {"mobile": "13911112222", "sms_code": code}, token=alice.access)
    assert r.status_code == 200 and r.json()["mobile_masked"].endswith("2222")
    alice.applicant.refresh_from_db()
    assert alice.applicant.mobile == "13911112222"


def test_photo_change_refuses_a_picture_without_a_face(api, alice) -> None:  # type: ignore[no-untyped-def]
    before = alice.applicant.id_photo_path
    r = api.post(
        "me/id-photo", {"id_photo": b64(testing.cat()), "capture": b64(testing.cat())}, token=alice.access
    )
    assert r.status_code == 422 and {"id_photo", "capture"} & set(r.json()["fields"])
    alice.applicant.refresh_from_db()
    assert alice.applicant.id_photo_path == before


def test_photo_change_accepts_the_same_person(api, alice) -> None:  # type: ignore[no-untyped-def]
    photo = b64(testing.grace_hopper())
    r = api.post("me/id-photo", {"id_photo": photo, "capture": photo}, token=alice.access)
    assert r.status_code == 200, r.content
