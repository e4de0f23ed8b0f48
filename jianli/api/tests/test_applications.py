"""Drafts, attachments, submit (idempotent), progress and withdraw through the API."""

from __future__ import annotations

import pytest

from jianli.api.models import IdempotencyRecord
from jianli.registrations.models import Application, State
from jianli.testing import cast, pdf_bytes

pytestmark = pytest.mark.django_db


def _complete_initial_draft(api, person, employer) -> None:  # type: ignore[no-untyped-def]
    cast.qualification(person.applicant, as_typed=True)
    assert api.post("drafts/initial", token=person.access).status_code == 200
    data = cast.initial_data(employer)
    data["work_history"] = [
        {"start": "2008-07-01", "end": "", "employer": "某建设公司", "position": "监理员"}
    ]
    data["projects"] = [{"name": "某住宅小区", "role": "专业监理工程师", "year": "2019"}]
    r = api.patch("drafts/initial", {"step": 2, "data": data}, token=person.access)
    assert r.status_code == 200, r.content
    assert r.json()["errors"] == {}, r.json()["errors"]
    for slot in ("id_card", "qualification_certificate", "labour_contract"):
        r = api.client.post(
            f"/api/v1/drafts/initial/attachments/{slot}",
            {"file": _upload(f"{slot}.pdf")},
            HTTP_AUTHORIZATION=f"Bearer {person.access}",
        )
        assert r.status_code == 201, r.content


def _upload(name: str):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, pdf_bytes(), "application/pdf")


def test_form_describes_fields_and_slots(api) -> None:  # type: ignore[no-untyped-def]
    body = api.get("forms/change").json()
    assert [f["name"] for f in body["fields"]][:2] == ["change_items", "employer"]
    assert body["fields"][0]["options"] == [["employer", "聘用单位"], ["specialty", "注册专业"]]
    assert api.get("forms/nonsense").status_code == 422


def test_draft_keeps_what_is_typed_and_reports_what_is_missing(api, alice) -> None:  # type: ignore[no-untyped-def]
    assert api.get("drafts/initial", token=alice.access).status_code == 404
    r = api.post("drafts/initial", token=alice.access)
    assert r.status_code == 200
    # Not in the roster: the locked qualification fields are empty and say so.
    assert r.json()["data"] == {"qualification_number": "", "qualification_date": "", "exam_category": ""}
    r = api.patch(
        "drafts/initial", {"data": {"school": "同济大学", "graduation_date": "明天"}}, token=alice.access
    )
    body = r.json()
    assert body["data"]["school"] == "同济大学" and body["data"]["graduation_date"] == "明天"
    assert "graduation_date" in body["errors"] and "qualification_number" in body["errors"]
    assert "id_card" in body["missing_attachments"]


def test_draft_says_which_fields_and_materials_apply(api, alice) -> None:  # type: ignore[no-untyped-def]
    # A client shows only these: 职称证书编号 once a 职称 other than 无 is chosen.
    api.post("drafts/initial", token=alice.access)
    body = api.patch("drafts/initial", {"data": {"title": "无"}}, token=alice.access).json()
    assert "title" in body["applicable"] and "title_certificate_number" not in body["applicable"]
    assert {"work_history", "id_card", "labour_contract"} <= set(body["applicable"])
    body = api.patch("drafts/initial", {"data": {"title": "工程师"}}, token=alice.access).json()
    assert "title_certificate_number" in body["applicable"]


def test_draft_refuses_unknown_fields_and_wrong_shapes(api, alice) -> None:  # type: ignore[no-untyped-def]
    api.post("drafts/initial", token=alice.access)
    r = api.patch("drafts/initial", {"data": {"salary": "1"}}, token=alice.access)
    assert r.status_code == 422 and r.json()["fields"] == {"salary": "没有这一项"}
    r = api.patch("drafts/initial", {"data": {"specialties": "房屋建筑工程"}}, token=alice.access)
    assert r.status_code == 422 and "specialties" in r.json()["fields"]
    r = api.patch("drafts/initial", {"data": {"specialties": ["造火箭"]}}, token=alice.access)
    assert r.status_code == 422 and r.json()["fields"]["specialties"] == "不是可选的值"
    r = api.patch("drafts/initial", {"data": {"school": 3}}, token=alice.access)
    assert r.status_code == 422


def test_attachment_is_checked_by_content(api, alice) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    api.post("drafts/initial", token=alice.access)
    r = api.client.post(
        "/api/v1/drafts/initial/attachments/id_card",
        {"file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")},
        HTTP_AUTHORIZATION=f"Bearer {alice.access}",
    )
    assert r.status_code == 422 and "id_card" in r.json()["fields"]
    r = api.client.post(
        "/api/v1/drafts/initial/attachments/nonsense",
        {"file": _upload("a.pdf")},
        HTTP_AUTHORIZATION=f"Bearer {alice.access}",
    )
    assert r.status_code == 422


def test_applicant_downloads_own_attachments_from_draft_and_application(api, alice, employer) -> None:  # type: ignore[no-untyped-def]
    import base64

    _complete_initial_draft(api, alice, employer)
    r = api.get("drafts/initial/attachments/id_card", token=alice.access)
    assert r.status_code == 200 and base64.b64decode(r.json()["content"]) == pdf_bytes()
    assert api.get("drafts/initial/attachments/title_certificate", token=alice.access).status_code == 404
    application_id = api.post("drafts/initial/submit", token=alice.access).json()["id"]
    r = api.get(f"applications/{application_id}/attachments/labour_contract", token=alice.access)
    assert r.status_code == 200 and r.json()["name"] == "labour_contract.pdf"


def test_submit_incomplete_draft_is_refused_per_field(api, alice) -> None:  # type: ignore[no-untyped-def]
    api.post("drafts/initial", token=alice.access)
    r = api.post("drafts/initial/submit", token=alice.access)
    assert r.status_code == 422 and r.json()["code"] == "incomplete" and r.json()["fields"]


def test_submit_with_idempotency_key_returns_the_first_result(api, alice, employer) -> None:  # type: ignore[no-untyped-def]
    _complete_initial_draft(api, alice, employer)
    first = api.post("drafts/initial/submit", token=alice.access, **{"Idempotency-Key": "k-1"})
    assert first.status_code == 201, first.content
    assert first.json()["state"] == "awaiting_employer" and first.json()["employer_name"] == employer.name
    again = api.post("drafts/initial/submit", token=alice.access, **{"Idempotency-Key": "k-1"})
    assert again.status_code == 201 and again.json() == first.json()
    assert Application.objects.filter(applicant=alice.applicant).count() == 1
    # Without the key, the draft is gone: nothing is submitted twice.
    assert api.post("drafts/initial/submit", token=alice.access).status_code == 404
    assert IdempotencyRecord.objects.count() == 1


def test_same_key_for_another_request_is_refused(api, alice, employer) -> None:  # type: ignore[no-untyped-def]
    _complete_initial_draft(api, alice, employer)
    assert (
        api.post("drafts/initial/submit", token=alice.access, **{"Idempotency-Key": "k-2"}).status_code == 201
    )
    r = api.post("drafts/renewal/submit", token=alice.access, **{"Idempotency-Key": "k-2"})
    assert r.status_code == 422 and r.json()["code"] == "idempotency_mismatch"


def test_progress_timeline_and_withdraw(api, alice, employer) -> None:  # type: ignore[no-untyped-def]
    _complete_initial_draft(api, alice, employer)
    app_id = api.post("drafts/initial/submit", token=alice.access).json()["id"]
    detail = api.get(f"applications/{app_id}", token=alice.access).json()
    assert [(s["label"], s["node_label"]) for s in detail["timeline"]][:2] == [
        ("提交申请", "已完成"),
        ("企业上报", "正在进行"),
    ]
    assert detail["may_withdraw"] is True
    r = api.post(
        "progress",
        {"name": alice.applicant.name, "id_number": alice.applicant.id_number, "business_type": "initial"},
        token=alice.access,
    )
    assert [a["id"] for a in r.json()["applications"]] == [app_id]
    r = api.post(f"applications/{app_id}/withdraw", {"expected_state": "awaiting_review"}, token=alice.access)
    assert r.status_code == 409 and r.json()["code"] == "conflict"
    r = api.post(
        f"applications/{app_id}/withdraw", {"expected_state": "awaiting_employer"}, token=alice.access
    )
    assert r.status_code == 200 and r.json()["state"] == "withdrawn"
    assert Application.objects.get(pk=app_id).state == State.WITHDRAWN


def test_progress_query_never_answers_about_someone_else(api, alice, bob, employer) -> None:  # type: ignore[no-untyped-def]
    _complete_initial_draft(api, bob, employer)
    api.post("drafts/initial/submit", token=bob.access)
    r = api.post(
        "progress",
        {"name": bob.applicant.name, "id_number": bob.applicant.id_number, "business_type": "initial"},
        token=alice.access,
    )
    assert r.status_code == 200 and r.json()["applications"] == []


def test_manual_faq_and_contacts(api) -> None:  # type: ignore[no-untyped-def]
    assert api.get("manual").json()[0]["title"].startswith("一、")
    assert len(api.get("faq").json()) == 15
    assert api.get("contacts").json()[0]["number"]


def test_the_write_path_reads_the_roster_and_the_applicant_only_where_needed(api, alice, bob, employer) -> None:  # type: ignore[no-untyped-def]
    """A new draft reads the roster once; an upload touches neither the roster nor the applicant's row (the token
    brought the applicant); the submit reads the roster and the named employer once, for its checks and the
    guard's under the applicant's lock alike."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _complete_initial_draft(api, alice, employer)

    def tables(queries: CaptureQueriesContext) -> list[str]:
        return [t for q in queries.captured_queries
                for t in ("registrations_qualification", "accounts_applicant", "employers_employer")
                if f'FROM "{t}"' in q["sql"]]

    cast.qualification(bob.applicant, as_typed=True)
    with CaptureQueriesContext(connection) as create:
        assert api.post("drafts/initial", token=bob.access).status_code == 200
    assert tables(create).count("registrations_qualification") == 1  # the prefill's answer serves the sync
    with CaptureQueriesContext(connection) as upload:
        r = api.client.post("/api/v1/drafts/initial/attachments/id_card", {"file": _upload("id.pdf")},
                            HTTP_AUTHORIZATION=f"Bearer {alice.access}")
    assert r.status_code == 201 and tables(upload) == []
    with CaptureQueriesContext(connection) as submit:
        r = api.post("drafts/initial/submit", token=alice.access)
    assert r.status_code == 201, r.content
    assert tables(submit).count("registrations_qualification") == 1
    assert tables(submit).count("employers_employer") == 1
