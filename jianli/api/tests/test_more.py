"""信息修改 through the API: a new mobile number with an SMS code sent to it; a new 证件照 face-checked against a live capture."""

from __future__ import annotations

import pytest

from jianli import testing
from jianli.testing import b64

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
    r = api.post("me/id-photo", {"id_photo": b64(testing.cat())}, token=alice.access)
    assert r.status_code == 422 and "id_photo" in r.json()["fields"]
    assert "未检测到人脸" in r.json()["fields"]["id_photo"]
    alice.applicant.refresh_from_db()
    assert alice.applicant.id_photo_path == before


def test_photo_change_in_two_steps_changes_the_photo_only_on_a_pass(api, alice) -> None:  # type: ignore[no-untyped-def]
    before = alice.applicant.id_photo_path
    r = api.post("me/id-photo", {"id_photo": b64(testing.astronaut())}, token=alice.access)
    assert r.status_code == 201, r.content
    started = r.json()
    assert started["provider"] == "fake" and "scenarios" in started["client"]
    alice.applicant.refresh_from_db()
    assert alice.applicant.id_photo_path == before

    # The sign-in finish does not accept a photo-change attempt.
    assert api.post(f"face-verifications/{started['id']}/finish", token=alice.access).status_code in (401, 403, 404)

    r = api.post(
        f"me/id-photo/{started['id']}/finish", {"fields": {"scenario": "no_match"}}, token=alice.access
    )
    assert r.status_code == 200 and r.json()["status"] == "failed" and r.json()["changed"] is False
    assert "证件照未更换" in r.json()["advice"]
    alice.applicant.refresh_from_db()
    assert alice.applicant.id_photo_path == before

    started = api.post("me/id-photo", {"id_photo": b64(testing.astronaut())}, token=alice.access).json()
    r = api.post(f"me/id-photo/{started['id']}/finish", {"fields": {"scenario": "pass"}}, token=alice.access)
    body = r.json()
    assert r.status_code == 200 and body["status"] == "passed" and body["changed"] is True
    assert body["me"]["name"] == alice.applicant.name
    alice.applicant.refresh_from_db()
    assert alice.applicant.id_photo_path != before and alice.applicant.id_photo()


def test_photo_change_refuses_a_provider_that_cannot_compare(api, alice, settings) -> None:  # type: ignore[no-untyped-def]
    settings.JIANLI_FACE_API_PROVIDERS = ["wechat"]
    r = api.post("me/id-photo", {"id_photo": b64(testing.astronaut()), "provider": "wechat"}, token=alice.access)
    assert r.status_code == 422 and "provider" in r.json()["fields"]
    r = api.post("me/id-photo", {"id_photo": b64(testing.astronaut()), "provider": "nope"}, token=alice.access)
    assert r.status_code == 422 and "provider" in r.json()["fields"]
