"""The seed's journey, by a client that knows only /api/openapi.json: it finds each operation by its id there.

profile → check (not found) → SMS → register → face (fake) → tokens → catalogue → draft → attachments → submit
→ progress → withdraw; and again to employer report → reviewer claim → decision.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jianli import pii, testing
from jianli.registrations.models import Qualification
from jianli.testing import b64, cast, pdf_bytes

pytestmark = pytest.mark.django_db


class SpecClient:
    def __init__(self) -> None:
        self.http = Client()
        self.schema = self.http.get("/api/openapi.json").json()
        self.operations = {
            op["operationId"]: (method.upper(), path)
            for path, ops in self.schema["paths"].items()
            for method, op in ops.items()
        }

    def __call__(
        self,
        operation: str,
        body: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        key: str | None = None,
        files: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        **params: Any,
    ) -> Any:
        method, path = self.operations[operation]
        for name, value in params.items():
            path = path.replace("{" + name + "}", str(value))
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in (headers or {}).items()}
        if token:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        if key:
            extra["HTTP_X_API_KEY"] = key
        fn = getattr(self.http, method.lower())
        if files is not None:
            response = fn(path, files, **extra)
        elif method == "GET":
            response = fn(path, **extra)
        else:
            response = fn(path, body or {}, content_type="application/json", **extra)
        assert response.status_code < 500, response.content
        return response


def _applicant_signs_in(api: SpecClient, name: str, number: str, mobile: str) -> str:
    r = api("profile_create", {"nickname": name[:1] + "工"})
    assert r.status_code == 201
    profile_token = r.json()["profile_token"]
    r = api("applicant_check", {"name": name, "id_number": number}, token=profile_token)
    assert r.json()["found"] is False and r.json()["message"] == "未查询到该用户，是否前往注册？"
    code = api("sms_code_send", {"mobile": mobile}, token=profile_token).json()["demo_code"]
    r = api(
        "applicant_register",
        {
            "name": name,
            "id_number": number,
            "mobile": mobile,
            "sms_code": code,
            "id_photo": b64(testing.grace_hopper()),
        },
        token=profile_token,
    )
    assert r.status_code == 201, r.content
    pending = r.json()["pending_token"]
    started = api("face_start", {"consent": True}, token=pending).json()
    r = api("face_finish", {"fields": {"scenario": "pass"}}, token=pending, verification_id=started["id"])
    assert r.json()["status"] == "passed"
    tokens = r.json()["tokens"]
    # The mini program keeps the refresh token and rotates it before the 15-minute access token runs out.
    tokens = api("token_refresh", {"refresh_token": tokens["refresh_token"]}).json()
    assert api("me", token=tokens["access_token"]).json()["name"] == name
    return str(tokens["access_token"])


def _applies(api: SpecClient, access: str, employer_uscc: str, key: str) -> dict[str, Any]:
    catalogue = api("catalogue").json()
    assert catalogue["entries"][0]["business_type"] == "initial"
    form = api("form", business_type="initial").json()
    assert api("draft_create", token=access, business_type="initial").status_code == 200
    data = {
        "qualification_number": "JL2024110100099",
        "qualification_date": "2024-10-20",
        "specialties": ["房屋建筑工程"],
        "employer": employer_uscc,
        "school": "同济大学",
        "major": "土木工程",
        "degree": "本科",
        "graduation_date": "2008-07-01",
        "title": "工程师",
        "work_history": [{"start": "2008-07-01", "end": "", "employer": "某建设公司", "position": "监理员"}],
        "projects": [{"name": "某住宅小区", "role": "专业监理工程师", "year": "2019"}],
    }
    r = api("draft_update", {"step": 2, "data": data}, token=access, business_type="initial")
    assert r.json()["errors"] == {}, r.json()["errors"]
    for slot in [
        s["name"] for s in form["slots"] if s["required"] and s["name"] in r.json()["missing_attachments"]
    ]:
        upload = {"file": SimpleUploadedFile(f"{slot}.pdf", pdf_bytes(), "application/pdf")}
        r = api("draft_attachment_upload", token=access, files=upload, business_type="initial", slot=slot)
        assert r.status_code == 201, r.content
    r = api("draft_submit", token=access, business_type="initial", headers={"Idempotency-Key": key})
    assert r.status_code == 201, r.content
    return dict(r.json())


@pytest.fixture
def world(db, settings):  # type: ignore[no-untyped-def]
    from jianli.api import credentials

    settings.DEMO = True
    employer = cast.employer(7, "北京华建工程监理有限公司")
    staff = cast.staff(employer, "oa")
    reviewer = cast.reviewer("journey-reviewer")
    return {
        "employer": employer,
        "employer_key": credentials.api_key_create(
            name="OA", scopes=[f"employer:{employer.pk}"], user=staff.user
        )[0],
        "reviewer_key": credentials.api_key_create(
            name="审查", scopes=["ministry:review", "ministry:decide"], user=reviewer
        )[0],
    }


def _person(sequence: int) -> tuple[str, str]:
    number = testing.id_number(dt.date(1988, 8, 8), sequence)
    Qualification.objects.create(
        certificate_number="JL2024110100099",
        name="周杰",
        id_hash=pii.lookup_hash(number),
        category="土木建筑工程",
        obtained_on=dt.date(2024, 10, 20),
    )
    return "周杰", number


def test_journey_to_withdrawal(world) -> None:  # type: ignore[no-untyped-def]
    api = SpecClient()
    name, number = _person(61)
    access = _applicant_signs_in(api, name, number, "13700001111")
    submitted = _applies(api, access, world["employer"].uscc, "journey-1")
    assert submitted["state_label"] == "待企业上报"
    r = api("progress_query", {"name": name, "id_number": number, "business_type": "initial"}, token=access)
    timeline = r.json()["applications"][0]["timeline"]
    assert [(s["label"], s["node_label"]) for s in timeline] == [
        ("提交申请", "已完成"),
        ("企业上报", "正在进行"),
        ("部级审核", "未进行"),
        ("办结", "未进行"),
    ]
    r = api(
        "application_withdraw",
        {"expected_state": "awaiting_employer"},
        token=access,
        application_id=submitted["id"],
    )
    assert r.json()["state_label"] == "已撤回"


def test_journey_to_decision(world) -> None:  # type: ignore[no-untyped-def]
    api = SpecClient()
    name, number = _person(63)
    access = _applicant_signs_in(api, name, number, "13700002222")
    app_id = _applies(api, access, world["employer"].uscc, "journey-2")["id"]
    queue = api("employer_list", key=world["employer_key"]).json()["items"]
    assert [c["id"] for c in queue] == [app_id]
    assert (
        api("employer_report", key=world["employer_key"], application_id=app_id).json()["state"]
        == "awaiting_review"
    )
    assert api("review_claim", key=world["reviewer_key"], application_id=app_id).status_code == 200
    r = api(
        "review_decide",
        {"decision": "approve", "comment": "符合条件"},
        key=world["reviewer_key"],
        application_id=app_id,
    )
    assert r.json()["state_label"] == "准予注册"
    detail = api("application_read", token=access, application_id=app_id).json()
    assert [s["node_label"] for s in detail["timeline"]] == ["已完成", "已完成", "已完成", "已完成"]
