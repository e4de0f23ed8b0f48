"""Employer and ministry operations with API keys: scopes, object-level checks, the workflow's refusals."""

from __future__ import annotations

import pytest

from jianli.api import credentials
from jianli.audit.models import AuditEvent
from jianli.registrations.models import State
from jianli.testing import cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(alice, employer):  # type: ignore[no-untyped-def]
    return cast.submitted(alice.applicant, employer)


def test_employer_lists_reads_and_reports(api, case, employer_key) -> None:  # type: ignore[no-untyped-def]
    r = api.get("employer/applications", **{"X-API-Key": employer_key})
    assert r.status_code == 200 and [c["id"] for c in r.json()["items"]] == [case.pk]
    assert "*" in r.json()["items"][0]["applicant_id_number_masked"]
    r = api.get(f"employer/applications/{case.pk}", **{"X-API-Key": employer_key})
    assert r.status_code == 200
    assert AuditEvent.objects.filter(action="personal_data_viewed", application_id=case.pk).exists()
    r = api.post(f"employer/applications/{case.pk}/report", **{"X-API-Key": employer_key})
    assert r.status_code == 200 and r.json()["state"] == "awaiting_review"
    r = api.post(f"employer/applications/{case.pk}/report", **{"X-API-Key": employer_key})
    assert r.status_code == 409 and r.json()["code"] == "conflict"


def test_employer_return_needs_a_reason(api, case, employer_key) -> None:  # type: ignore[no-untyped-def]
    r = api.post(f"employer/applications/{case.pk}/return", {"reason": "   "}, **{"X-API-Key": employer_key})
    assert r.status_code == 422 and "reason" in r.json()["fields"]
    r = api.post(
        f"employer/applications/{case.pk}/return", {"reason": "劳动合同缺页"}, **{"X-API-Key": employer_key}
    )
    assert r.status_code == 200 and r.json()["state"] == "returned"


def test_employer_cannot_touch_another_employers_application(api, alice) -> None:  # type: ignore[no-untyped-def]
    other = cast.employer(2)
    mine = cast.employer(3)
    staff = cast.staff(mine, "other")
    key = credentials.api_key_create(name="x", scopes=[f"employer:{mine.pk}"], user=staff.user)[0]
    foreign = cast.submitted(alice.applicant, other)
    assert api.get(f"employer/applications/{foreign.pk}", **{"X-API-Key": key}).status_code == 404
    assert api.post(f"employer/applications/{foreign.pk}/report", **{"X-API-Key": key}).status_code == 404
    assert api.get("employer/applications", **{"X-API-Key": key}).json()["items"] == []


def test_a_key_scoped_to_another_employer_than_its_user_is_refused(api, case, employer) -> None:  # type: ignore[no-untyped-def]
    staff = cast.staff(employer, "moving")
    key = credentials.api_key_create(name="x", scopes=[f"employer:{employer.pk}"], user=staff.user)[0]
    staff.employer = cast.employer(4)
    staff.save()
    assert api.get(f"employer/applications/{case.pk}", **{"X-API-Key": key}).status_code == 403


def test_keys_are_required_and_checked(api, case, reviewer_key) -> None:  # type: ignore[no-untyped-def]
    r = api.get("employer/applications")
    assert r.status_code == 401 and set(r.json()) == {"code", "message", "fields"}
    assert api.get("employer/applications", **{"X-API-Key": "jlk_forged"}).status_code == 401
    # A ministry key is no employer key, and the other way round.
    assert api.get("employer/applications", **{"X-API-Key": reviewer_key}).status_code == 403


def test_reviewer_claims_and_decides(api, case, employer_key, reviewer_key) -> None:  # type: ignore[no-untyped-def]
    assert api.get(f"review/applications/{case.pk}", **{"X-API-Key": reviewer_key}).status_code == 404
    api.post(f"employer/applications/{case.pk}/report", **{"X-API-Key": employer_key})
    queue = api.get("review/applications", **{"X-API-Key": reviewer_key}).json()
    assert [c["id"] for c in queue["items"]] == [case.pk]
    r = api.post(f"review/applications/{case.pk}/claim", **{"X-API-Key": reviewer_key})
    assert r.status_code == 200 and r.json()["claimed_by_me"] is True
    r = api.post(
        f"review/applications/{case.pk}/decision",
        {"decision": "reject", "reason": ""},
        **{"X-API-Key": reviewer_key},
    )
    assert r.status_code == 422 and {"reason", "comment"} <= set(r.json()["fields"])
    r = api.post(
        f"review/applications/{case.pk}/decision", {"decision": "approve"}, **{"X-API-Key": reviewer_key}
    )
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "approved"


def test_correction_then_applicant_resubmits(api, alice, case, employer_key, reviewer_key) -> None:  # type: ignore[no-untyped-def]
    api.post(f"employer/applications/{case.pk}/report", **{"X-API-Key": employer_key})
    api.post(f"review/applications/{case.pk}/claim", **{"X-API-Key": reviewer_key})
    r = api.post(
        f"review/applications/{case.pk}/correction",
        {"problems": [{"kind": "field", "name": "school", "message": "毕业院校与学历证书不一致"}]},
        **{"X-API-Key": reviewer_key},
    )
    assert r.status_code == 200 and r.json()["state"] == "in_correction"
    detail = api.get(f"applications/{case.pk}", token=alice.access).json()
    assert detail["reason"]["title"] == "补正事项"
    r = api.post(f"applications/{case.pk}/correction", {"data": {"major": "建筑学"}}, token=alice.access)
    assert r.status_code == 422
    r = api.post(f"applications/{case.pk}/correction", {"data": {"school": "清华大学"}}, token=alice.access)
    assert r.status_code == 200, r.content
    assert r.json()["state"] == State.AWAITING_REVIEW


def test_correction_of_a_repeatable_group(api, alice, case, employer_key, reviewer_key) -> None:  # type: ignore[no-untyped-def]
    api.post(f"employer/applications/{case.pk}/report", **{"X-API-Key": employer_key})
    api.post(f"review/applications/{case.pk}/claim", **{"X-API-Key": reviewer_key})
    r = api.post(
        f"review/applications/{case.pk}/correction",
        {"problems": [{"kind": "rows", "name": "work_history", "message": "请补充工作经历"}]},
        **{"X-API-Key": reviewer_key},
    )
    assert r.status_code == 200, r.content
    assert r.json()["correction_items"][0] == {
        "kind": "rows", "name": "work_history", "label": "工作经历", "message": "请补充工作经历"
    }
    url = f"applications/{case.pk}/correction"
    r = api.post(url, {"data": {"work_history": "在甲公司工作"}}, token=alice.access)
    assert r.status_code == 422  # strict input: a group is a list of rows
    r = api.post(url, {"data": {"work_history": [{"start": "2010-01-01", "salary": "1"}]}}, token=alice.access)
    assert r.status_code == 422 and "work_history" in r.json()["fields"]
    r = api.post(url, {"data": {"projects": [{"name": "甲", "role": "总监", "year": "2020"}]}}, token=alice.access)
    assert r.status_code == 422 and "projects" in r.json()["fields"]
    row = {"start": "2010-01-01", "end": "", "employer": "北京华建工程监理有限公司", "position": ""}
    r = api.post(url, {"data": {"work_history": [row]}}, token=alice.access)
    assert r.status_code == 422 and set(r.json()["fields"]) == {"work_history-0-position"}
    r = api.post(url, {"data": {"work_history": [{**row, "position": "总监理工程师"}]}}, token=alice.access)
    assert r.status_code == 200, r.content
    assert r.json()["state"] == State.AWAITING_REVIEW
    assert r.json()["data"]["work_history"][0]["position"] == "总监理工程师"


def test_a_review_key_without_decide_scope_cannot_decide(api, case, employer_key) -> None:  # type: ignore[no-untyped-def]
    user = cast.reviewer("narrow")
    key = credentials.api_key_create(name="narrow", scopes=["ministry:review"], user=user)[0]
    api.post(f"employer/applications/{case.pk}/report", **{"X-API-Key": employer_key})
    api.post(f"review/applications/{case.pk}/claim", **{"X-API-Key": key})
    r = api.post(f"review/applications/{case.pk}/decision", {"decision": "approve"}, **{"X-API-Key": key})
    assert r.status_code == 403


def test_a_key_whose_user_is_no_reviewer_is_refused(api, case, employer_key) -> None:  # type: ignore[no-untyped-def]
    user = cast.reviewer("no-longer")
    key = credentials.api_key_create(name="x", scopes=["ministry:review"], user=user)[0]
    user.groups.clear()
    api.post(f"employer/applications/{case.pk}/report", **{"X-API-Key": employer_key})
    assert api.post(f"review/applications/{case.pk}/claim", **{"X-API-Key": key}).status_code == 403


def test_key_secrets_are_not_stored(reviewer_key) -> None:  # type: ignore[no-untyped-def]
    from jianli.api.models import ApiKey

    key = ApiKey.objects.get()
    assert key.digest != reviewer_key and reviewer_key not in str(key.__dict__)


def _approver_key() -> str:
    user = cast.reviewer("api-approver", "复核")
    return credentials.api_key_create(name="复核", scopes=["ministry:review", "ministry:decide"], user=user)[
        0
    ]


def _in_review(api, case, employer_key, reviewer_key) -> None:  # type: ignore[no-untyped-def]
    api.post(f"employer/applications/{case.pk}/report", **{"X-API-Key": employer_key})
    api.post(f"review/applications/{case.pk}/claim", **{"X-API-Key": reviewer_key})


REJECT = {"decision": "reject", "reason": "", "comment": "继续教育学时不足"}


def test_rejection_takes_a_reviewer_and_an_approver(api, case, employer_key, reviewer_key) -> None:  # type: ignore[no-untyped-def]
    from jianli.registrations.rejection import REJECT_REASONS

    _in_review(api, case, employer_key, reviewer_key)
    body = {**REJECT, "reason": REJECT_REASONS[0][0]}
    r = api.post(f"review/applications/{case.pk}/decision", body, **{"X-API-Key": reviewer_key})
    assert r.status_code == 200 and r.json()["state"] == "in_review"
    assert r.json()["pending_rejection"]["proposed_by_me"] is True
    # The proposer cannot agree with themself; it waits for the approver.
    approver = _approver_key()
    r = api.post(
        f"review/applications/{case.pk}/decision", {**body, "note": "同意"}, **{"X-API-Key": approver}
    )
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "rejected"


def test_approver_can_send_a_rejection_back(api, case, employer_key, reviewer_key) -> None:  # type: ignore[no-untyped-def]
    from jianli.registrations.rejection import REJECT_REASONS

    _in_review(api, case, employer_key, reviewer_key)
    api.post(
        f"review/applications/{case.pk}/decision",
        {**REJECT, "reason": REJECT_REASONS[0][0]},
        **{"X-API-Key": reviewer_key},
    )
    approver = _approver_key()
    r = api.post(
        f"review/applications/{case.pk}/rejection/decline", {"note": "证据不足"}, **{"X-API-Key": approver}
    )
    assert r.status_code == 200 and r.json()["pending_rejection"] is None and r.json()["state"] == "in_review"
    r = api.post(
        f"review/applications/{case.pk}/rejection/decline", {"note": "再次"}, **{"X-API-Key": approver}
    )
    assert r.status_code == 409


def test_a_returned_application_is_edited_and_resubmitted_as_a_draft(
    api, alice, employer, employer_key
) -> None:  # type: ignore[no-untyped-def]
    from jianli.api.tests.test_applications import _complete_initial_draft

    _complete_initial_draft(api, alice, employer)
    app_id = api.post("drafts/initial/submit", token=alice.access).json()["id"]
    api.post(
        f"employer/applications/{app_id}/return", {"reason": "劳动合同缺页"}, **{"X-API-Key": employer_key}
    )
    draft = api.get("drafts/initial", token=alice.access).json()
    assert (draft["id"], draft["state"], draft["return_reason"]) == (app_id, "returned", "劳动合同缺页")
    assert (
        api.patch("drafts/initial", {"data": {"school": "清华大学"}}, token=alice.access).status_code == 200
    )
    r = api.post("drafts/initial/submit", token=alice.access, **{"Idempotency-Key": "resubmit-1"})
    assert r.status_code == 201 and r.json()["id"] == app_id and r.json()["state"] == "awaiting_employer"


def test_the_employer_sees_only_the_employment_facts(
    api, alice, employer, employer_key, reviewer_key
) -> None:  # type: ignore[no-untyped-def]
    from jianli.api.tests.test_applications import _complete_initial_draft
    from jianli.audit.models import AuditEvent

    _complete_initial_draft(api, alice, employer)
    app_id = api.post("drafts/initial/submit", token=alice.access).json()["id"]
    detail = api.get(f"employer/applications/{app_id}", **{"X-API-Key": employer_key}).json()
    assert set(detail["data"]) == {"employer"}
    assert [a["slot"] for a in detail["attachments"]] == ["labour_contract"]
    r = api.get(f"employer/applications/{app_id}/attachments/labour_contract", **{"X-API-Key": employer_key})
    assert r.status_code == 200 and r.json()["content"].startswith("JVBER")  # %PDF
    assert AuditEvent.objects.filter(
        action="personal_data_viewed", detail__what="attachment:labour_contract"
    ).exists()
    assert (
        api.get(
            f"employer/applications/{app_id}/attachments/id_card", **{"X-API-Key": employer_key}
        ).status_code
        == 404
    )
    api.post(f"employer/applications/{app_id}/report", **{"X-API-Key": employer_key})
    r = api.get(f"review/applications/{app_id}/attachments/id_card", **{"X-API-Key": reviewer_key})
    assert r.status_code == 200 and r.json()["size"] > 0
    assert "school" in api.get(f"review/applications/{app_id}", **{"X-API-Key": reviewer_key}).json()["data"]


def test_an_approval_on_a_roster_record_edited_by_hand_takes_an_approver(api, case, employer_key, reviewer_key) -> None:  # type: ignore[no-untyped-def]
    from jianli.registrations.models import Qualification
    from jianli.registrations.rules import find_qualification

    Qualification.objects.filter(pk=find_qualification(applicant=case.applicant).pk).update(edited_by_hand=True)  # type: ignore[union-attr]
    _in_review(api, case, employer_key, reviewer_key)
    r = api.post(f"review/applications/{case.pk}/decision", {"decision": "approve", "comment": "材料齐全"},
                 **{"X-API-Key": reviewer_key})
    assert r.status_code == 200 and r.json()["state"] == "in_review"
    waiting = r.json()["pending_approval"]
    assert waiting["proposed_by_me"] is True and "人工修改" in waiting["reason"] and waiting["comment"] == "材料齐全"
    assert r.json()["pending_rejection"] is None
    r = api.post(f"review/applications/{case.pk}/decision", {"decision": "approve"}, **{"X-API-Key": reviewer_key})
    assert r.status_code == 403  # while it waits, "approve" is the approver's agreement: not the claimer's
    approver = _approver_key()
    r = api.post(f"review/applications/{case.pk}/approval/decline", {"note": "请核实资格库"}, **{"X-API-Key": approver})
    assert r.status_code == 200 and r.json()["pending_approval"] is None and r.json()["state"] == "in_review"
    api.post(f"review/applications/{case.pk}/decision", {"decision": "approve"}, **{"X-API-Key": reviewer_key})
    r = api.post(f"review/applications/{case.pk}/decision", {"decision": "approve", "note": "已核实"},
                 **{"X-API-Key": approver})
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "approved"
