from __future__ import annotations

import pytest
from django.test import Client

from jianli.registrations import services, versions
from jianli.registrations.models import State
from jianli.testing import cast, cat_file


@pytest.fixture
def app(db):  # type: ignore[no-untyped-def]
    emp = cast.employer(1)
    reviewer = cast.reviewer()
    app = cast.in_review(cast.submitted(cast.applicant(), emp), cast.staff(emp), reviewer)
    return services.application_request_correction(
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
    assert [r.name for r in versions.version_diff(app)] == ["labour_contract"]


def test_another_applicant_cannot_open_it(app) -> None:  # type: ignore[no-untyped-def]
    other = cast.applicant(30, "路人")
    client = Client()
    session = client.session
    session["applicant_id"] = other.pk
    session.save()
    assert client.get(f"/apply/correction/{app.pk}/").status_code == 404


@pytest.fixture
def rows_app(db):  # type: ignore[no-untyped-def]
    emp = cast.employer(1)
    reviewer = cast.reviewer()
    app = cast.submitted(cast.applicant(), emp, data={
        **cast.initial_data(emp), "projects": [{"name": "上海中心大厦", "role": "总监理工程师", "year": "2016"}],
    })
    app = cast.in_review(app, cast.staff(emp), reviewer)
    return services.application_request_correction(
        application_id=app.pk, user=reviewer,
        problems=[{"kind": "rows", "name": "projects", "message": "请补充近年的工程业绩"},
                  {"kind": "attachment", "name": "title_certificate", "message": "请上传职称证书"}],
    )


def test_a_flagged_group_shows_its_rows_an_empty_one_and_nothing_else(rows_app, settings) -> None:  # type: ignore[no-untyped-def]
    settings.JIANLI_UPLOAD_MAX_PDF = 5 * 1024 * 1024
    page = _client(rows_app).get(f"/apply/correction/{rows_app.pk}/").content.decode()
    assert "请补充近年的工程业绩" in page
    assert 'value="上海中心大厦"' in page and 'name="projects-1-name"' in page and 'name="projects-2-name"' not in page
    assert 'name="projects-count" value="2"' in page and "添加一条工程业绩" in page
    assert 'name="work_history-0-start"' not in page and 'name="school"' not in page
    assert "PDF不超过5MB，JPG/PNG不超过500KB" in page and "PDF 不超过2MB" not in page


def test_a_flagged_group_adds_rows_keeps_input_and_resubmits(rows_app) -> None:  # type: ignore[no-untyped-def]
    client, url = _client(rows_app), f"/apply/correction/{rows_app.pk}/"
    typed = {"projects-count": "2", "projects-0-name": "上海中心大厦", "projects-0-role": "总监理工程师",
             "projects-0-year": "2016", "projects-1-name": "虹桥枢纽", "projects-1-role": "", "projects-1-year": "2010"}
    r = client.post(url, {**typed, "action": "add_row:projects"})
    page = r.content.decode()
    assert r.status_code == 200 and 'value="虹桥枢纽"' in page and 'name="projects-2-name"' in page
    r = client.post(url, {**typed, "projects-count": "3", "action": "submit"})
    page = r.content.decode()
    assert r.status_code == 422 and 'id="id_projects-1-role"' in page and "第2条工程业绩：请填写担任职务" in page
    assert 'value="虹桥枢纽"' in page  # nothing typed is lost
    rows_app.refresh_from_db()
    assert rows_app.state == State.IN_CORRECTION
    r = client.post(url, {**typed, "projects-1-role": "专业监理工程师", "action": "submit"})
    assert r.status_code == 302, r.content.decode()[-2000:]
    rows_app.refresh_from_db()
    assert rows_app.state == State.AWAITING_REVIEW
    assert [p["name"] for p in rows_app.data["projects"]] == ["上海中心大厦", "虹桥枢纽"]
