from __future__ import annotations

import pytest
from django.test import Client

from jianli.testing import cast

pytestmark = pytest.mark.django_db


def test_unknown_page_is_explained_in_chinese():
    response = Client().get("/no-such-page/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


def test_expired_form_is_explained_in_chinese():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/welcome/", {"nickname": "x"})
    assert response.status_code == 403 and "页面已过期" in response.content.decode()


def test_unknown_business_type_is_a_404_not_an_error():
    client = Client()
    cast.sign_in(client, cast.applicant())
    assert client.get("/apply/nonsense/").status_code == 404
    assert client.get("/services/jianli/nonsense/").status_code == 404


@pytest.mark.parametrize(
    "form",
    [
        {"work_history-count": "abc", "action": "next"},
        {"work_history-count": "100000", "projects-count": "-5", "action": "next"},
        {"specialties": ["<script>", "房屋建筑工程"], "qualification_date": "2024-13-45", "action": "next"},
        {"employer": "9" * 18, "action": "refresh"},
        {"action": "add_row:nonexistent"},
        {"action": "autosave", "school": "x" * 100000},
    ],
)
def test_odd_wizard_input_never_errors(form):
    applicant = cast.applicant()
    cast.qualification(applicant)
    client = Client()
    cast.sign_in(client, applicant)
    client.post("/apply/initial/", {"all": "on"})
    assert client.post("/apply/initial/info/", form).status_code in (200, 422)
