"""A token of applicant A can neither read nor change anything of applicant B, for every applicant operation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jianli import testing
from jianli.api.api import api as ninja_api
from jianli.identity import services as identity
from jianli.identity.models import FaceVerification
from jianli.registrations import services
from jianli.registrations.models import Application, BusinessType, State
from jianli.testing import b64, cast, pdf_bytes

pytestmark = pytest.mark.django_db


def _snapshot(person) -> list[tuple[Any, ...]]:  # type: ignore[no-untyped-def]
    rows = Application.objects.filter(applicant=person.applicant).order_by("pk")
    out: list[tuple[Any, ...]] = [
        (a.pk, a.state, a.data, a.version, a.step, sorted(a.attachments.values_list("sha256", "is_current")))
        for a in rows
    ]
    person.applicant.refresh_from_db()
    out.append((person.applicant.mobile, person.applicant.id_photo_path, person.profile.nickname))
    return out


def _multipart(api, path: str, token: str):  # type: ignore[no-untyped-def]
    return api.client.post(
        path,
        {"file": SimpleUploadedFile("a.pdf", pdf_bytes(), "application/pdf")},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


# Each applicant operation, called with A's token against B's objects (ids and personal data).
Call = Callable[[Any, Any, dict[str, Any]], Any]
OPERATIONS: dict[str, Call] = {
    "token_revoke": lambda api, a, b: api.post("tokens/revoke", token=a.access),
    "me": lambda api, a, b: api.get("me", token=a.access),
    "draft_create": lambda api, a, b: api.post("drafts/initial", token=a.access),
    "draft_read": lambda api, a, b: api.get("drafts/renewal", token=a.access),
    "draft_update": lambda api, a, b: api.patch(
        "drafts/renewal", {"data": {"ce_elective_hours": "1"}}, token=a.access
    ),
    "draft_attachment_upload": lambda api, a, b: _multipart(
        api, "/api/v1/drafts/renewal/attachments/ce_proof", a.access
    ),
    "draft_submit": lambda api, a, b: api.post("drafts/renewal/submit", token=a.access),
    "application_list": lambda api, a, b: api.get("applications", token=a.access),
    "application_read": lambda api, a, b: api.get(f"applications/{b['open']}", token=a.access),
    "application_withdraw": lambda api, a, b: api.post(
        f"applications/{b['open']}/withdraw", {"expected_state": "awaiting_employer"}, token=a.access
    ),
    "correction_attachment_upload": lambda api, a, b: _multipart(
        api, f"/api/v1/applications/{b['correction']}/correction/attachments/id_card", a.access
    ),
    "correction_submit": lambda api, a, b: api.post(
        f"applications/{b['correction']}/correction", {"data": {"school": "清华大学"}}, token=a.access
    ),
    "progress_query": lambda api, a, b: api.post(
        "progress",
        {
            "name": b["person"].applicant.name,
            "id_number": b["person"].applicant.id_number,
            "business_type": "initial",
        },
        token=a.access,
    ),
    "mobile_change": lambda api, a, b: api.post(
        "me/mobile", {"mobile": b["person"].applicant.mobile, "sms_code": "000000"}, token=a.access
    ),
    "photo_change": lambda api, a, b: api.post("me/id-photo", {"id_photo": b64(testing.cat())}, token=a.access),
    "photo_change_finish": lambda api, a, b: api.post(
        f"me/id-photo/{b['photo_check']}/finish", {"fields": {"scenario": "pass"}}, token=a.access
    ),
    "application_attachment_read": lambda api, a, b: api.get(
        f"applications/{b['correction']}/attachments/id_card", token=a.access
    ),
    "draft_attachment_read": lambda api, a, b: api.get("drafts/renewal/attachments/labour_contract", token=a.access),
    "my_certificates": lambda api, a, b: api.get("me/certificates", token=a.access),
    "my_certificate_pdf": lambda api, a, b: api.get(f"me/certificates/{b['certificate']}/pdf", token=a.access),
    "rating_read": lambda api, a, b: api.get(f"applications/{b['ended']}/rating", token=a.access),
    "rating_put": lambda api, a, b: api.put(f"applications/{b['ended']}/rating", {"level": 1, "comment": "差"}, token=a.access),
    "profile_read": lambda api, a, b: api.get("profile", token=a.access),
    "profile_update": lambda api, a, b: api.patch("profile", {"nickname": "改名"}, token=a.access),
    "profile_avatar_upload": lambda api, a, b: api.client.post(
        "/api/v1/profile/avatar", {"avatar": testing.cat_file()}, HTTP_AUTHORIZATION=f"Bearer {a.access}"
    ),
    "sms_code_send": lambda api, a, b: api.post("sms-codes", {"mobile": "13900000001"}, token=a.access),
    "applicant_check": lambda api, a, b: api.post(
        "applicants/check",
        {"name": b["person"].applicant.name, "id_number": "110101199001011237"},
        token=a.access,
    ),
    "wechat_session": lambda api, a, b: _wechat_session(api, a),
    "subscription_record": lambda api, a, b: api.post("wechat/subscriptions", {"answers": {}}, token=a.access),
    "applicant_register": lambda api, a, b: api.post(
        "applicants",
        {
            "name": "某",
            "id_number": b["person"].applicant.id_number,
            "mobile": "13900000001",
            "sms_code": "1",
            "id_photo": b64(testing.cat()),
        },
        token=a.access,
    ),
}


def _wechat_session(api, a):  # type: ignore[no-untyped-def]
    from django.test import override_settings

    from jianli.identity.tests import fakes

    with fakes.wechat() as (url, state), override_settings(
        JIANLI_WECHAT_ACCESS_TOKEN_URL=url, JIANLI_WECHAT_APPID="wxappid", JIANLI_WECHAT_SECRET="wxsecret"
    ):
        return api.post("wechat/session", {"code": state.login_code("oWX-a")}, token=a.access)


def _applicant_operations() -> set[str]:
    schema = ninja_api.get_openapi_schema()
    return {
        op["operationId"]
        for ops in schema["paths"].values()
        for op in ops.values()
        if any(("ApplicantAuth" in s or "ProfileAuth" in s) for s in op.get("security", []))
    }


def test_every_applicant_operation_is_covered() -> None:
    assert _applicant_operations() == set(OPERATIONS)


@pytest.fixture
def b_objects(bob, employer, reviewer_key):  # type: ignore[no-untyped-def]
    # Bob's open 初始注册, and (once registered) a 变更注册 in 补正: two open applications, as the rules allow.
    open_app = cast.submitted(bob.applicant, employer)
    registration = cast.registration(bob.applicant, employer, valid_until=dt.date.today() + dt.timedelta(days=99))
    corr = cast.submitted(bob.applicant, employer, BusinessType.CHANGE, registration=registration)
    st = cast.staff(employer, "iso")
    reviewer = cast.reviewer("iso-reviewer")
    cast.in_review(corr, st, reviewer)
    services.application_request_correction(
        application_id=corr.pk,
        user=reviewer,
        problems=[
            {"kind": "field", "name": "leave_date", "message": "请核对"},
            {"kind": "attachment", "name": "labour_contract", "message": "请重新上传"},
        ],
    )
    draft = Application.objects.create(applicant=bob.applicant, business_type="renewal", data={"x": "b"})
    ended = Application.objects.create(applicant=bob.applicant, business_type="replacement", data={},
                                       state=State.WITHDRAWN, submitted_at=timezone.now(), decided_at=timezone.now())
    photo_check, _ = identity.verification_start(
        credential="test", applicant=bob.applicant, purpose=FaceVerification.Purpose.PHOTO_CHANGE, candidate=testing.astronaut()
    )
    return {
        "person": bob, "open": open_app.pk, "correction": corr.pk, "draft": draft.pk, "ended": ended.pk,
        "photo_check": photo_check.public_id, "certificate": registration.current_certificate.number,
    }


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_applicant_a_cannot_read_or_change_b(api, alice, b_objects, operation) -> None:  # type: ignore[no-untyped-def]
    bob = b_objects["person"]
    before = _snapshot(bob)
    r = OPERATIONS[operation](api, alice, b_objects)
    assert r.status_code < 500
    if any(f"{{{name}}}" in _path_of(operation) for name in ("application_id", "verification_id", "number")):
        assert r.status_code == 404, r.content
    text = r.content.decode()
    assert bob.applicant.id_number not in text and bob.applicant.mobile not in text
    assert bob.applicant.masked_id_number not in text
    assert not {b_objects["open"], b_objects["correction"], b_objects["draft"], b_objects["ended"]} & set(_ids(r))
    assert _snapshot(bob) == before


def _path_of(operation: str) -> str:
    schema = ninja_api.get_openapi_schema()
    return next(
        p for p, ops in schema["paths"].items() for op in ops.values() if op["operationId"] == operation
    )


def _ids(response) -> list[Any]:  # type: ignore[no-untyped-def]
    try:
        body = response.json()
    except ValueError:
        return []
    items = (
        body if isinstance(body, list) else body.get("applications", [body]) if isinstance(body, dict) else []
    )
    return [i.get("id") for i in items if isinstance(i, dict)]
