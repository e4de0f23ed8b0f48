from __future__ import annotations

import pytest
from django.test import Client

from jianli.registrations import decisions
from jianli.registrations.models import State
from jianli.registrations.tests import cast
from jianli.testing import cat_file


@pytest.fixture
def app(db):  # type: ignore[no-untyped-def]
    emp = cast.employer(1)
    reviewer = cast.reviewer()
    app = cast.in_review(cast.submitted(cast.applicant(), emp), cast.staff(emp), reviewer)
    return decisions.application_request_correction(
        application_id=app.pk, user=reviewer,
        problems=[
            {"kind": "field", "name": "school", "message": "请填写院校全称"},
            {"kind": "field", "name": "specialties", "message": "注册专业最多两个，请核对"},
            {"kind": "attachment", "name": "labour_contract", "message": "劳动合同缺少盖章页"},
        ],
    )


def _client(app) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    session = client.session
    session["applicant_id"] = app.applicant_id
    session.save()
    return client


def test_the_page_lists_the_problems_and_only_their_inputs(app) -> None:  # type: ignore[no-untyped-def]
    page = _client(app).get(f"/apply/correction/{app.pk}/").content.decode()
    assert "请填写院校全称" in page and "劳动合同缺少盖章页" in page
    assert 'name="school"' in page and 'name="labour_contract"' in page and 'name="major"' not in page


def test_it_resubmits_with_a_new_file_and_keeps_input_on_errors(app) -> None:  # type: ignore[no-untyped-def]
    client = _client(app)
    r = client.post(f"/apply/correction/{app.pk}/", {"school": "同济大学（本部）", "specialties": ["房屋建筑工程"]})
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.state == State.AWAITING_REVIEW and app.data["school"] == "同济大学（本部）"
    assert app.data["specialties"] == ["房屋建筑工程"] and app.data["major"] == "土木工程"


def test_a_flagged_file_is_replaced(app) -> None:  # type: ignore[no-untyped-def]
    client = _client(app)
    r = client.post(f"/apply/correction/{app.pk}/", {"school": "同济大学", "specialties": ["房屋建筑工程", "市政公用工程"],
                                                    "labour_contract": cat_file()})
    assert r.status_code == 302, r.content.decode()[-3000:]
    app.refresh_from_db()
    # The labour contract is a fact the employer confirmed: the employer confirms again.
    assert app.state == State.AWAITING_EMPLOYER
    assert app.attachments.get(slot="labour_contract", is_current=True).original_name == "cat.jpg"
    assert [r.name for r in decisions.version_diff(app)] == ["labour_contract"]


def test_another_applicant_cannot_open_it(app) -> None:  # type: ignore[no-untyped-def]
    other = cast.applicant(30, "路人")
    client = Client()
    session = client.session
    session["applicant_id"] = other.pk
    session.save()
    assert client.get(f"/apply/correction/{app.pk}/").status_code == 404
