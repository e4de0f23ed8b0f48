"""Before 申报须知, what the service can check itself: an explanation page with the rule, why, and what to do."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from jianli.testing import cast

pytestmark = pytest.mark.django_db


def page_for(applicant, business_type: str) -> str:  # type: ignore[no-untyped-def]
    client = Client()
    cast.sign_in(client, applicant)
    response = client.get(f"/apply/{business_type}/")
    assert response.status_code == 200
    return response.content.decode()


def assert_explained(page: str, rule: str, next_step: str, link: str) -> None:
    assert "暂不能申请" in page and "注册须知" not in page
    assert rule in page and next_step in page
    assert not link or f'href="{link}"' in page


def test_over_65_on_the_application_day():
    today = timezone.localdate()
    applicant = cast.applicant(born=today.replace(year=today.year - 66))
    cast.qualification(applicant)
    assert_explained(page_for(applicant, "initial"), "年龄超过65周岁", "注销注册", "/services/jianli/cancellation/")


def test_open_application_of_the_same_type_links_to_its_progress():
    applicant = cast.applicant()
    cast.qualification(applicant)
    app = cast.submitted(applicant, cast.employer())
    assert_explained(page_for(applicant, "initial"), "正在办理", "撤回", f"/progress/{app.pk}/")


def test_initial_with_a_valid_registration_suggests_change_or_renewal():
    applicant = cast.applicant()
    cast.qualification(applicant)
    cast.registration(applicant, cast.employer(), valid_until=timezone.localdate() + dt.timedelta(days=500))
    assert_explained(page_for(applicant, "initial"), "不能再申请初始注册", "变更注册", "/services/jianli/change/")


@pytest.mark.parametrize("business_type", ["renewal", "change", "cancellation", "replacement"])
def test_other_types_without_a_registration_suggest_initial(business_type):
    applicant = cast.applicant()
    assert_explained(page_for(applicant, business_type), "未查询到您的有效监理工程师注册", "初始注册",
                     "/services/jianli/initial/")


def test_renewal_later_than_30_days_before_expiry():
    applicant = cast.applicant()
    cast.registration(applicant, cast.employer(), valid_until=timezone.localdate() + dt.timedelta(days=29))
    assert_explained(page_for(applicant, "renewal"), "30日前", "初始注册", "/services/jianli/initial/")


def test_renewal_on_the_30th_day_before_expiry_is_allowed():
    applicant = cast.applicant()
    cast.registration(applicant, cast.employer(), valid_until=timezone.localdate() + dt.timedelta(days=30))
    assert "注册须知" in page_for(applicant, "renewal")


def test_renewal_after_expiry_requires_initial_registration():
    applicant = cast.applicant()
    cast.registration(applicant, cast.employer(), valid_until=timezone.localdate() - dt.timedelta(days=1))
    assert_explained(page_for(applicant, "renewal"), "届满", "重新申请初始注册", "/services/jianli/initial/")


def test_initial_without_qualification_in_the_roster():
    applicant = cast.applicant()
    assert_explained(page_for(applicant, "initial"), "职业资格库", "土木建筑工程", "")
