"""The most read operations answer without django-ninja validating their bodies again (bodies.read_answer): each
answer must be exactly what validating it through its response schema would have sent, in every state."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from ninja import Schema
from ninja.responses import NinjaJSONEncoder

from jianli.api.integrations.cases import CasePageOut
from jianli.api.schemas import ApplicationDetailOut, CaseDetailOut
from jianli.registrations import services
from jianli.registrations.models import State
from jianli.testing import cast

pytestmark = pytest.mark.django_db


def as_validated(schema: type[Schema], body: dict[str, Any]) -> Any:
    """The body as django-ninja sends it after validating it: unknown keys dropped, every value coerced."""
    return json.loads(json.dumps(schema.model_validate(body).model_dump(), cls=NinjaJSONEncoder))


def wire(body: Any) -> str:
    """Times go out to the millisecond: a time less than 1 ms past the second is sent as "…:08.000Z", which reads
    back as :08 and is sent again as "…:08Z". The same instant at the wire's precision, so written alike here."""
    return SUBSECOND_ZERO.sub(r"\1", json.dumps(body, ensure_ascii=False, sort_keys=True, indent=1))


SUBSECOND_ZERO = re.compile(r'(T\d\d:\d\d:\d\d)\.000(?=Z"|[+-]\d\d:\d\d")')


@pytest.mark.parametrize(
    "state", [State.AWAITING_EMPLOYER, State.RETURNED, State.IN_CORRECTION, State.APPROVED, State.REJECTED]
)
def test_the_applicants_detail_is_its_schema(api, alice, state) -> None:  # type: ignore[no-untyped-def]
    application = cast.application(state, person=alice.applicant)
    r = api.get(f"applications/{application.pk}", token=alice.access)
    assert r.status_code == 200 and r["Content-Type"] == "application/json; charset=utf-8"
    body = r.json()
    assert body["state"] == state and body["timeline"] and body["attachments"]
    assert (body["reason"] is not None) == (state in (State.RETURNED, State.IN_CORRECTION, State.REJECTED))
    assert wire(body) == wire(as_validated(ApplicationDetailOut, body))


def test_the_employers_list_and_case_are_their_schemas(api, alice, employer, employer_key) -> None:  # type: ignore[no-untyped-def]
    case = cast.submitted(alice.applicant, employer)
    page = api.get("employer/applications", **{"X-API-Key": employer_key}).json()
    assert [c["id"] for c in page["items"]] == [case.pk] and page["count"] == 1
    assert wire(page) == wire(as_validated(CasePageOut, page))
    detail = api.get(f"employer/applications/{case.pk}", **{"X-API-Key": employer_key}).json()
    assert detail["id"] == case.pk and wire(detail) == wire(as_validated(CaseDetailOut, detail))


def test_the_review_queue_and_case_are_their_schemas(api, alice, employer, reviewer_key) -> None:  # type: ignore[no-untyped-def]
    case = cast.submitted(alice.applicant, employer)
    services.application_report(application_id=case.pk, staff=cast.staff(employer))
    for state in ("awaiting_review", "mine"):
        page = api.get(f"review/applications?state={state}", **{"X-API-Key": reviewer_key}).json()
        assert [c["id"] for c in page["items"]] == ([case.pk] if state == "awaiting_review" else [])
        assert wire(page) == wire(as_validated(CasePageOut, page))
    detail = api.get(f"review/applications/{case.pk}", **{"X-API-Key": reviewer_key}).json()
    assert detail["state"] == "awaiting_review" and wire(detail) == wire(as_validated(CaseDetailOut, detail))
