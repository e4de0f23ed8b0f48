"""One cleaner for every way in: `Spec.clean` (the shape) then `validate` (the rules) serve the wizard page, the
API's drafts and 补正 (its page, its API operation and the service itself), so the same bad input gets the same
Chinese message at the same field whichever way it comes."""

from __future__ import annotations

import pytest
from django.test import Client

from jianli.accounts.models import Applicant, Profile
from jianli.api import credentials
from jianli.errors import ServiceError
from jianli.registrations import services
from jianli.registrations.models import Application, State
from jianli.testing import cast
from jianli.testing.cast import Api

pytestmark = pytest.mark.django_db

FIRST = {"name": "上海中心大厦", "role": "总监理工程师", "year": "2016"}
NO_ROLE = {"name": "虹桥枢纽", "role": "", "year": "2010"}
NOT_ROWS = "上海中心大厦，虹桥枢纽"  # a group sent as one text instead of rows


def _token(applicant: Applicant) -> str:
    profile = Profile.objects.filter(applicant=applicant).first() or Profile.objects.create(
        nickname=applicant.name, applicant=applicant
    )
    return credentials.token_pair_issue(applicant=applicant, profile=profile).access_token


@pytest.fixture
def in_correction() -> Application:
    emp = cast.employer(1)
    reviewer = cast.reviewer()
    app = cast.submitted(cast.applicant(), emp, data={**cast.initial_data(emp), "projects": [FIRST]})
    app = cast.in_review(app, cast.staff(emp), reviewer)
    return services.application_request_correction(
        application_id=app.pk, user=reviewer,
        problems=[{"kind": "rows", "name": "projects", "message": "请补充近年的工程业绩"}],
    )


@pytest.fixture
def drafting() -> Applicant:
    """Another applicant, in the roster, with an initial registration being filled in."""
    applicant = cast.applicant(sequence=40)
    cast.qualification(applicant, certificate_number="JL2024110100040")
    return applicant


def _service_error(app: Application, data: dict[str, object]) -> dict[str, str]:
    with pytest.raises(ServiceError) as raised:
        services.application_resubmit_correction(application_id=app.pk, applicant=app.applicant, data=data)
    return raised.value.fields or {}


def test_a_group_that_is_not_rows_gets_one_message_from_the_api_and_from_correction(
    in_correction: Application, drafting: Applicant
) -> None:
    api = Api()
    assert api.post("drafts/initial", token=_token(drafting)).status_code == 200
    draft = api.patch("drafts/initial", {"data": {"projects": NOT_ROWS}}, token=_token(drafting))
    correction_api = api.post(
        f"applications/{in_correction.pk}/correction", {"data": {"projects": NOT_ROWS}},
        token=_token(in_correction.applicant),
    )
    assert draft.status_code == correction_api.status_code == 422
    expected = {"projects": "工程业绩应为多条记录，每条一个对象"}
    assert draft.json()["fields"] == correction_api.json()["fields"] == expected
    assert _service_error(in_correction, {"projects": NOT_ROWS}) == expected
    in_correction.refresh_from_db()
    assert in_correction.state == State.IN_CORRECTION and in_correction.data["projects"] == [FIRST]


def test_a_row_without_its_role_gets_one_message_from_pages_api_and_correction(
    in_correction: Application, drafting: Applicant
) -> None:
    message = "第2条工程业绩：请填写担任职务"
    api = Api()
    assert api.post("drafts/initial", token=_token(drafting)).status_code == 200
    draft = api.patch("drafts/initial", {"data": {"projects": [FIRST, NO_ROLE]}}, token=_token(drafting))
    assert draft.status_code == 200 and draft.json()["errors"]["projects-1-role"] == message

    correction_api = api.post(
        f"applications/{in_correction.pk}/correction", {"data": {"projects": [FIRST, NO_ROLE]}},
        token=_token(in_correction.applicant),
    )
    assert correction_api.status_code == 422 and correction_api.json()["fields"] == {"projects-1-role": message}
    assert _service_error(in_correction, {"projects": [FIRST, NO_ROLE]}) == {"projects-1-role": message}

    posted = {"projects-count": "2", "action": "next"}
    posted.update({f"projects-0-{k}": v for k, v in FIRST.items()})
    posted.update({f"projects-1-{k}": v for k, v in NO_ROLE.items()})
    wizard = Client()
    cast.sign_in(wizard, drafting)
    wizard_page = wizard.post("/apply/initial/info/", posted)
    correction = Client()
    session = correction.session
    session["applicant_id"] = in_correction.applicant_id
    session.save()
    correction_page = correction.post(f"/apply/correction/{in_correction.pk}/", {**posted, "action": "submit"})
    for page in (wizard_page, correction_page):
        html = page.content.decode()
        assert page.status_code == 422 and message in html and 'id="id_projects-1-role"' in html
