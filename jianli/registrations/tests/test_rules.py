from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jianli import pii
from jianli.accounts.models import Applicant
from jianli.registrations import rules
from jianli.registrations.models import Application, BusinessType, Qualification, Registration, State
from jianli.testing import cast, id_number

D = dt.date
TODAY = D(2026, 11, 25)


BORN = D(1985, 3, 7)
OBTAINED = D(2024, 10, 20)


def person(born: dt.date = BORN, sequence: int = 12, name: str = "王建国") -> Applicant:
    return cast.applicant(sequence, name, born=born, mobile="13800138000", profile=False)


def registration(applicant: Applicant, valid_until: dt.date, status: str = "valid") -> Registration:
    return Registration.objects.create(
        number=f"T{applicant.pk:07d}", applicant=applicant, employer=cast.employer(),
        specialties=["房屋建筑工程"],
        valid_from=rules.add_years(valid_until, -3), valid_until=valid_until, status=status,
    )


def roster_record(applicant: Applicant, obtained_on: dt.date = OBTAINED, name: str = "") -> Qualification:
    return Qualification.objects.create(
        certificate_number=f"Q{applicant.pk:08d}", name=name or applicant.name,
        id_hash=pii.lookup_hash(applicant.id_number), category="土木建筑工程", obtained_on=obtained_on,
    )


def attr(value: object, name: str) -> object:
    return getattr(value, name, None)


# -- age ------------------------------------------------------------------------------------------------


def someone_born(born: dt.date) -> SimpleNamespace:
    return SimpleNamespace(id_number=id_number(born))


def test_age_on_and_around_the_65th_birthday() -> None:
    born = D(1961, 11, 25)
    assert rules.check_age(applicant=someone_born(born), today=D(2026, 11, 24)) is None  # 64
    assert rules.check_age(applicant=someone_born(born), today=D(2026, 11, 25)) is None  # birthday: not over
    refusal = rules.check_age(applicant=someone_born(born), today=D(2026, 11, 26))  # over 65
    assert refusal is not None
    assert refusal.code == "too_old" and refusal.rule == "（五）年龄超过65周岁的"
    assert "65周岁" in refusal.message and refusal.next_step
    assert refusal.apply_for == "cancellation"
    assert rules.check_age(applicant=someone_born(D(1950, 1, 1)), today=TODAY) is not None


def test_age_for_someone_born_on_29_february() -> None:
    born = D(1960, 2, 29)
    assert rules.check_age(applicant=someone_born(born), today=D(2025, 2, 28)) is None
    assert rules.check_age(applicant=someone_born(born), today=D(2025, 3, 1)) is None  # 65 full years
    assert rules.check_age(applicant=someone_born(born), today=D(2025, 3, 2)) is not None


# -- open application -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_open_application_of_the_same_type_links_to_its_progress() -> None:
    me = person()
    assert rules.check_open_application(applicant=me, business_type=BusinessType.INITIAL) is None
    Application.objects.create(applicant=me, business_type=BusinessType.INITIAL)  # a draft is not open
    assert rules.check_open_application(applicant=me, business_type=BusinessType.INITIAL) is None
    emp = cast.employer()
    cast.registration(me, emp, valid_until=timezone.localdate() + dt.timedelta(days=60))  # in its renewal window
    app = cast.submitted(me, emp, BusinessType.RENEWAL)
    assert rules.check_open_application(applicant=me, business_type=BusinessType.INITIAL) is None
    refusal = rules.check_open_application(applicant=me, business_type=BusinessType.RENEWAL)
    assert refusal is not None and refusal.code == "open_application"
    assert refusal.open_application == app.pk
    assert app.number and app.number in refusal.message and "延续注册" in refusal.message
    Application.objects.filter(pk=app.pk).update(state=State.REJECTED)
    assert rules.check_open_application(applicant=me, business_type=BusinessType.RENEWAL) is None


# -- registration for the type ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_initial_with_a_valid_registration_suggests_change_or_renewal() -> None:
    me = person()
    assert rules.check_registration_for_type(applicant=me, business_type="initial", today=TODAY) is None
    reg = registration(me, D(2028, 6, 30))
    refusal = rules.check_registration_for_type(applicant=me, business_type="initial", today=TODAY)
    assert refusal is not None and refusal.code == "already_registered"
    assert reg.number in refusal.message
    assert "变更注册" in refusal.next_step and "延续注册" in refusal.next_step
    for kind in ("renewal", "change", "cancellation", "replacement"):
        assert rules.check_registration_for_type(applicant=me, business_type=kind, today=TODAY) is None


@pytest.mark.django_db
@pytest.mark.parametrize("status", [None, Registration.Status.CANCELLED, Registration.Status.LAPSED])
def test_other_types_without_a_valid_registration_suggest_initial(status: str | None) -> None:
    me = person()
    if status:
        registration(me, D(2028, 6, 30), status=status)
        assert rules.check_registration_for_type(applicant=me, business_type="initial", today=TODAY) is None
    for kind in ("renewal", "change", "cancellation", "replacement"):
        refusal = rules.check_registration_for_type(applicant=me, business_type=kind, today=TODAY)
        assert refusal is not None and refusal.code == "not_registered"
        assert refusal.apply_for == "initial"
        assert BusinessType(kind).label in refusal.message


@pytest.mark.django_db
def test_an_expired_registration_says_initial_registration_is_needed() -> None:
    me = person()
    registration(me, D(2026, 11, 24))
    refusal = rules.check_registration_for_type(applicant=me, business_type="change", today=TODAY)
    assert refusal is not None and refusal.code == "registration_expired" and "初始注册" in refusal.next_step


# -- renewal window ---------------------------------------------------------------------------------------


def test_renewal_window_the_30th_day_before_expiry_is_the_last_day() -> None:
    reg = Registration(number="T1", valid_from=D(2023, 12, 25), valid_until=D(2026, 12, 25))
    assert rules.renewal_deadline(reg) == D(2026, 11, 25)
    assert rules.check_renewal_window(registration=reg, today=D(2026, 10, 1)) is None
    assert rules.check_renewal_window(registration=reg, today=D(2026, 11, 25)) is None  # 30 days before
    late = rules.check_renewal_window(registration=reg, today=D(2026, 11, 26))  # 29 days before
    assert late is not None and late.code == "renewal_window_passed"
    assert "2026年11月25日" in late.message and late.rule == rules.RULE_RENEWAL_WINDOW
    assert attr(rules.check_renewal_window(registration=reg, today=D(2026, 12, 25)), "code") == "renewal_window_passed"
    expired = rules.check_renewal_window(registration=reg, today=D(2026, 12, 26))
    assert expired is not None and expired.code == "registration_expired"
    assert expired.apply_for == "initial"


# -- qualification -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_qualification_must_match_id_number_and_name() -> None:
    me = person()
    refusal = rules.check_qualification(applicant=me)
    assert refusal is not None and refusal.code == "qualification_not_found"
    assert "土木建筑工程" in refusal.next_step and "住房和城乡建设部" in refusal.next_step
    assert "010-58933876" in refusal.next_step
    roster_record(me, name="王建")  # same ID number, another name
    assert rules.check_qualification(applicant=me) is not None
    other = person(sequence=13)
    roster_record(other, name=me.name)  # same name, another ID number
    assert rules.check_qualification(applicant=me) is not None
    Qualification.objects.create(
        certificate_number="QOK", name=me.name, id_hash=me.id_hash, category="土木建筑工程",
        obtained_on=D(2024, 1, 1),
    )
    assert rules.check_qualification(applicant=me) is None
    assert attr(rules.find_qualification(applicant=me), "certificate_number") == "QOK"


@pytest.mark.django_db
def test_a_qualification_in_another_category_is_explained() -> None:
    me = person()
    Qualification.objects.create(
        certificate_number="QT1", name=me.name, id_hash=me.id_hash, category="交通运输工程",
        obtained_on=D(2024, 1, 1),
    )
    refusal = rules.check_qualification(applicant=me)
    assert refusal is not None and refusal.code == "qualification_other_category"
    assert "交通运输工程" in refusal.message and rules.find_qualification(applicant=me) is None


@pytest.mark.django_db
def test_the_demo_applicant_may_apply_for_initial_registration() -> None:
    from jianli import demo

    demo.load()
    me = Applicant.objects.by_id_number(demo.DEMO_APPLICANT["id_number"]).get()
    assert rules.eligibility(applicant=me, business_type="initial", today=TODAY) is None
    q = rules.find_qualification(applicant=me)
    assert q is not None and not rules.needs_continuing_education(qualification=q, today=TODAY)


def test_continuing_education_after_exactly_three_years() -> None:
    q = Qualification(obtained_on=D(2023, 11, 25))
    assert not rules.needs_continuing_education(qualification=q, today=D(2026, 11, 24))
    assert not rules.needs_continuing_education(qualification=q, today=D(2026, 11, 25))  # exactly 3 years
    assert rules.needs_continuing_education(qualification=q, today=D(2026, 11, 26))
    leap = Qualification(obtained_on=D(2024, 2, 29))
    assert not rules.needs_continuing_education(qualification=leap, today=D(2027, 2, 28))
    assert rules.needs_continuing_education(qualification=leap, today=D(2027, 3, 1))


# -- eligibility ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_eligibility_in_order_with_a_constant_number_of_queries() -> None:
    me = person()
    first = rules.eligibility(applicant=me, business_type="initial", today=TODAY)
    assert first is not None and first.code == "qualification_not_found"
    roster_record(me)
    with CaptureQueriesContext(connection) as queries:
        assert rules.eligibility(applicant=me, business_type="initial", today=TODAY) is None
    assert len(queries) <= 3
    assert attr(rules.eligibility(applicant=me, business_type="renewal", today=TODAY), "code") == "not_registered"

    reg = registration(me, D(2027, 6, 30))
    assert attr(rules.eligibility(applicant=me, business_type="initial", today=TODAY), "code") == "already_registered"
    assert attr(rules.eligibility(applicant=me, business_type="renewal", today=TODAY), "code") == "renewal_too_early"
    assert rules.eligibility(applicant=me, business_type="renewal", today=D(2027, 5, 1)) is None
    assert attr(rules.eligibility(applicant=me, business_type="renewal", today=D(2027, 6, 1)), "code") == (
        "renewal_window_passed"
    )
    assert attr(rules.eligibility(applicant=me, business_type="renewal", today=D(2027, 7, 1)), "code") == (
        "registration_expired"
    )
    cast.submitted(me, reg.employer, BusinessType.CHANGE, registration=reg)
    with CaptureQueriesContext(connection) as queries:
        assert attr(rules.eligibility(applicant=me, business_type="change", today=TODAY), "code") == "open_application"
    assert len(queries) <= 3
    for kind in BusinessType.values:
        with CaptureQueriesContext(connection) as queries:
            rules.eligibility(applicant=me, business_type=kind, today=TODAY)
        assert len(queries) <= 3


@pytest.mark.django_db
def test_over_65_may_still_cancel() -> None:
    old = person(born=D(1950, 1, 1), sequence=21)
    registration(old, D(2027, 6, 30))
    for kind in ("initial", "renewal", "change", "replacement"):
        assert attr(rules.eligibility(applicant=old, business_type=kind, today=TODAY), "code") == "too_old"
    assert rules.eligibility(applicant=old, business_type="cancellation", today=TODAY) is None
