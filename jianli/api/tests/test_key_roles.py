"""An API key acts with its user's current role: created only for a user holding the role of every scope, and
refused on the next call once the role is gone."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command

from jianli.api import credentials
from jianli.errors import ServiceError
from jianli.testing import cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(api, alice, employer, employer_key):  # type: ignore[no-untyped-def]
    case = cast.submitted(alice.applicant, employer)
    api.post(f"employer/applications/{case.pk}/report", **{"X-API-Key": employer_key})
    return case


def test_a_ministry_key_stops_working_when_its_user_leaves_the_reviewers(api, reported) -> None:  # type: ignore[no-untyped-def]
    user = cast.reviewer("leaving")
    key = credentials.api_key_create(name="部审查系统", scopes=["ministry:review"], user=user)[0]
    assert api.get("review/applications", **{"X-API-Key": key}).status_code == 200
    user.groups.remove(Group.objects.get(name="审查"))
    for r in (
        api.get("review/applications", **{"X-API-Key": key}),
        api.get(f"review/applications/{reported.pk}", **{"X-API-Key": key}),
        api.get(f"review/applications/{reported.pk}/attachments/labour_contract", **{"X-API-Key": key}),
        api.post(f"review/applications/{reported.pk}/claim", **{"X-API-Key": key}),
    ):
        assert r.status_code == 403 and r.json()["code"] == "forbidden", r.content
        assert "审查" in r.json()["message"]


def test_a_decide_key_stops_deciding_when_the_role_is_removed(api, reported) -> None:  # type: ignore[no-untyped-def]
    user = cast.reviewer("decider")
    key = credentials.api_key_create(name="部", scopes=["ministry:review", "ministry:decide"], user=user)[0]
    assert api.post(f"review/applications/{reported.pk}/claim", **{"X-API-Key": key}).status_code == 200
    user.groups.clear()
    r = api.post(f"review/applications/{reported.pk}/decision", {"decision": "approve"}, **{"X-API-Key": key})
    assert r.status_code == 403
    reported.refresh_from_db()
    assert reported.state == "in_review"


def test_an_employer_key_stops_working_when_its_user_leaves_the_employer(api, reported, employer) -> None:  # type: ignore[no-untyped-def]
    staff = cast.staff(employer, "oa")
    key = credentials.api_key_create(name="OA", scopes=[f"employer:{employer.pk}"], user=staff.user)[0]
    assert api.get("employer/applications", **{"X-API-Key": key}).status_code == 200
    staff.delete()
    assert api.get("employer/applications", **{"X-API-Key": key}).status_code == 403


def test_a_deactivated_user_s_key_is_unknown(api, reported) -> None:  # type: ignore[no-untyped-def]
    user = cast.reviewer("gone")
    key = credentials.api_key_create(name="部", scopes=["ministry:review"], user=user)[0]
    user.is_active = False
    user.save()
    assert api.get("review/applications", **{"X-API-Key": key}).status_code == 401


def test_ministry_keys_are_created_only_for_reviewers() -> None:
    outsider = User.objects.create_user("not-a-reviewer")
    for scopes in (["ministry:review"], ["ministry:decide"]):
        with pytest.raises(ServiceError) as e:
            credentials.api_key_create(name="x", scopes=scopes, user=outsider)
        assert e.value.status == 403 and "审查" in e.value.message
    approver = cast.reviewer("fuhe-only", "复核")
    assert credentials.api_key_create(name="复核", scopes=["ministry:review", "ministry:decide"], user=approver)


def test_employer_keys_are_created_only_for_that_employer_s_staff(employer) -> None:
    elsewhere = cast.staff(cast.employer(4), "mismatch")
    with pytest.raises(ServiceError) as e:
        credentials.api_key_create(name="x", scopes=[f"employer:{employer.pk}"], user=elsewhere.user)
    assert e.value.status == 403 and "企业" in e.value.message
    reviewer = cast.reviewer("not-staff")
    with pytest.raises(ServiceError):
        credentials.api_key_create(name="x", scopes=[f"employer:{employer.pk}"], user=reviewer)


def test_the_command_refuses_a_key_for_a_user_without_the_role() -> None:
    User.objects.create_user("plain")
    with pytest.raises(CommandError, match="审查"):
        call_command("api_key", "create", "--name", "x", "--user", "plain", "--scope", "ministry:review",
                     stdout=io.StringIO())


def test_creating_and_revoking_a_key_is_audited() -> None:
    from jianli.audit.models import AuditEvent

    user = cast.reviewer("audited")
    out = io.StringIO()
    call_command("api_key", "create", "--name", "部审查系统", "--user", "audited", "--scope", "ministry:review",
                 stdout=out)
    secret = out.getvalue().split("X-API-Key: ")[1].strip()
    created = AuditEvent.objects.get(action="api_key_changed", detail__change="created")
    assert created.detail["user_id"] == user.pk and created.detail["scopes"] == ["ministry:review"]
    assert created.actor_kind == "system" and secret not in str(created.detail)
    call_command("api_key", "revoke", created.detail["prefix"], stdout=io.StringIO())
    revoked = AuditEvent.objects.get(action="api_key_changed", detail__change="revoked")
    assert revoked.detail["prefix"] == created.detail["prefix"]
