"""Profile, the registered-user check, SMS, 用户注册, face verification and tokens through the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jianli import testing
from jianli.accounts.models import Applicant
from jianli.api.models import ApiToken, TokenKind
from jianli.testing import b64

pytestmark = pytest.mark.django_db


def _error_shape(body: dict) -> bool:  # type: ignore[type-arg]
    return set(body) == {"code", "message", "fields"}


def test_profile_create_returns_a_profile_token(api) -> None:  # type: ignore[no-untyped-def]
    r = api.post("profile", {"nickname": " 小 王 ", "avatar": b64(testing.cat())})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["profile"] == {"nickname": "小 王", "has_avatar": True, "registered": False}
    assert body["profile_token"].startswith("jlp_")
    assert not ApiToken.objects.filter(digest=body["profile_token"]).exists()
    assert api.get("profile", token=body["profile_token"]).json()["nickname"] == "小 王"


def test_profile_input_is_strict(api) -> None:  # type: ignore[no-untyped-def]
    r = api.post("profile", {"nickname": 5})
    assert r.status_code == 422 and _error_shape(r.json())
    assert r.json()["fields"] == {"nickname": "应为文本"}
    r = api.post("profile", {"nickname": "王", "admin": True})
    assert r.status_code == 422 and r.json()["fields"] == {"admin": "不支持该字段"}
    r = api.post("profile", {"nickname": "王", "avatar": "***"})
    assert r.status_code == 422 and "avatar" in r.json()["fields"]
    r = api.post("profile", {"nickname": "王", "avatar": b64(b"not a picture")})
    assert r.status_code == 422 and r.json()["fields"]["avatar"].startswith("无法识别")


def test_profile_update_by_json_and_by_multipart(api, profile_token) -> None:  # type: ignore[no-untyped-def]
    r = api.patch("profile", {"nickname": "老李"}, token=profile_token)
    assert r.status_code == 200 and r.json()["nickname"] == "老李"
    r = api.client.post(
        "/api/v1/profile/avatar", {"avatar": testing.cat_file()}, HTTP_AUTHORIZATION=f"Bearer {profile_token}"
    )
    assert r.status_code == 200, r.content
    assert r.json()["has_avatar"] is True


def test_profile_needs_a_token(api) -> None:  # type: ignore[no-untyped-def]
    r = api.get("profile")
    assert r.status_code == 401 and _error_shape(r.json())
    assert api.get("profile", token="jlp_forged").status_code == 401


def test_check_not_found_then_register_then_face(api, profile_token, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEMO = True
    number = testing.id_number(dt.date(1990, 6, 1), 45)
    r = api.post("applicants/check", {"name": "赵敏", "id_number": number}, token=profile_token)
    assert r.status_code == 200 and r.json()["found"] is False
    assert r.json()["message"] == "未查询到该用户，是否前往注册？"
    r = api.post("sms-codes", {"mobile": "13912345678"}, token=profile_token)
    assert r.status_code == 202
    code = r.json()["demo_code"]
    r = api.post(
        "applicants",
        {
            "name": "赵敏",
            "id_number": number,
            "mobile": "13912345678",
            "sms_code": code,
            "id_photo": b64(testing.grace_hopper()),
        },
        token=profile_token,
    )
    assert r.status_code == 201, r.content
    pending = r.json()["pending_token"]
    r = api.post("face-verifications", {"consent": True}, token=pending)
    assert r.status_code == 201, r.content
    started = r.json()
    assert started["provider"] == "fake"
    r = api.post(
        f"face-verifications/{started['id']}/finish", {"fields": {"scenario": "pass"}}, token=pending
    )
    assert r.status_code == 200 and r.json()["status"] == "passed"
    tokens = r.json()["tokens"]
    me = api.get("me", token=tokens["access_token"]).json()
    assert me["name"] == "赵敏" and "*" in me["id_number_masked"]
    # The pending token is spent once verification passed.
    assert api.post("face-verifications", {"consent": True}, token=pending).status_code == 401


def test_register_reports_every_field(api, profile_token) -> None:  # type: ignore[no-untyped-def]
    r = api.post(
        "applicants",
        {
            "name": "赵敏",
            "id_number": "110101199001011234",
            "mobile": "13912345678",
            "sms_code": "000000",
            "id_photo": b64(b"x"),
        },
        token=profile_token,
    )
    assert r.status_code == 422
    assert {"id_number", "sms_code", "id_photo"} <= set(r.json()["fields"])


def test_formats_are_in_the_schema_with_the_pages_words(api, profile_token) -> None:  # type: ignore[no-untyped-def]
    r = api.post("sms-codes", {"mobile": "12345"}, token=profile_token)
    assert r.status_code == 422 and r.json()["fields"] == {"mobile": "请输入正确的11位手机号码"}


def test_check_found_gives_a_pending_token(api, alice, profile_token) -> None:  # type: ignore[no-untyped-def]
    r = api.post(
        "applicants/check", {"name": "李娜", "id_number": alice.applicant.id_number}, token=profile_token
    )
    assert r.json()["found"] is True and r.json()["pending_token"].startswith("jlv_")


def test_face_needs_consent_and_counts_failures(api, alice, profile_token) -> None:  # type: ignore[no-untyped-def]
    pending = api.post(
        "applicants/check", {"name": "李娜", "id_number": alice.applicant.id_number}, token=profile_token
    ).json()["pending_token"]
    r = api.post("face-verifications", {"consent": False}, token=pending)
    assert r.status_code == 422 and "consent" in r.json()["fields"]
    r = api.post("face-verifications", {"consent": True, "provider": "tencent"}, token=pending)
    assert r.status_code == 422 and "provider" in r.json()["fields"]
    started = api.post("face-verifications", {"consent": True}, token=pending).json()
    r = api.post(
        f"face-verifications/{started['id']}/finish", {"fields": {"scenario": "no_match"}}, token=pending
    )
    body = r.json()
    assert body["status"] == "failed" and body["tokens"] is None and body["reason"] == "no_match"
    assert body["advice"] and body["attempts_left"] == 4


def test_face_verification_of_someone_else_is_not_found(api, alice, bob, profile_token) -> None:  # type: ignore[no-untyped-def]
    def pending(person):  # type: ignore[no-untyped-def]
        return api.post(
            "applicants/check",
            {"name": person.applicant.name, "id_number": person.applicant.id_number},
            token=profile_token,
        ).json()["pending_token"]

    started = api.post("face-verifications", {"consent": True}, token=pending(alice)).json()
    r = api.post(
        f"face-verifications/{started['id']}/finish", {"fields": {"scenario": "pass"}}, token=pending(bob)
    )
    assert r.status_code == 404


def test_refresh_rotates_and_a_replay_revokes_the_family(api, alice) -> None:  # type: ignore[no-untyped-def]
    r = api.post("tokens/refresh", {"refresh_token": alice.refresh})
    assert r.status_code == 200
    new = r.json()
    assert api.get("me", token=alice.access).status_code == 401
    assert api.get("me", token=new["access_token"]).status_code == 200
    r = api.post("tokens/refresh", {"refresh_token": alice.refresh})
    assert r.status_code == 401 and _error_shape(r.json())
    assert api.get("me", token=new["access_token"]).status_code == 401


def test_access_token_expires_after_15_minutes(api, alice) -> None:  # type: ignore[no-untyped-def]
    token = ApiToken.objects.get(applicant=alice.applicant, kind=TokenKind.ACCESS)
    assert dt.timedelta(minutes=14) < token.expires_at - timezone.now() <= dt.timedelta(minutes=15)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    assert api.get("me", token=alice.access).status_code == 401


def test_revoke_signs_out(api, alice) -> None:  # type: ignore[no-untyped-def]
    assert api.post("tokens/revoke", token=alice.access).status_code == 204
    assert api.get("me", token=alice.access).status_code == 401
    assert api.post("tokens/refresh", {"refresh_token": alice.refresh}).status_code == 401


def test_catalogue_lists_the_five_business_types(api) -> None:  # type: ignore[no-untyped-def]
    body = api.get("catalogue").json()
    assert [e["label"] for e in body["entries"]] == [
        "初始注册",
        "延续注册",
        "变更注册",
        "注销注册",
        "证书更换",
    ]
    assert body["item_code"] == "11100000000013338W1000117040000"


def test_openapi_and_docs_are_served(api) -> None:  # type: ignore[no-untyped-def]
    spec = api.get("/api/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    r = api.get("/api/docs")
    assert r.status_code == 200 and b"cdn" not in r.content.lower()
    assert Applicant.objects.count() == 0


def test_rate_limits_answer_429_in_the_one_shape(api, profile_token, settings) -> None:  # type: ignore[no-untyped-def]
    settings.JIANLI_RATE_CHECK_PER_ADDRESS = (2, 60)
    body = {"name": "赵敏", "id_number": testing.id_number(dt.date(1990, 6, 1), 45)}
    for _ in range(2):
        assert api.post("applicants/check", body, token=profile_token).status_code == 200
    r = api.post("applicants/check", body, token=profile_token)
    assert r.status_code == 429 and r.json()["code"] == "rate_limited" and "频繁" in r.json()["message"]


def test_malformed_json_is_a_400_in_the_one_shape(api) -> None:  # type: ignore[no-untyped-def]
    r = api.client.post("/api/v1/profile", "{not json", content_type="application/json")
    assert r.status_code in (400, 422) and set(r.json()) == {"code", "message", "fields"}


def test_a_body_over_the_limit_is_a_413_in_the_one_shape(api, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    r = api.post("profile", {"nickname": "王", "avatar": "A" * 2000})
    assert r.status_code == 413 and r.json()["code"] == "too_large"


def test_a_registered_applicants_nickname_change_is_audited_as_on_the_pages(api, alice) -> None:  # type: ignore[no-untyped-def]
    from jianli.audit.models import AuditEvent

    r = api.patch("profile", {"nickname": "娜娜"}, token=alice.access)
    assert r.status_code == 200 and r.json()["nickname"] == "娜娜"
    event = AuditEvent.objects.get(action="profile_changed", applicant_id=alice.applicant.pk)
    assert event.detail == {"fields": ["nickname"]}
    assert (event.actor_kind, event.actor_id) == ("applicant", alice.applicant.pk)
