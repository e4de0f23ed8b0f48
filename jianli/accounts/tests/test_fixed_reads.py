from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jianli.accounts.fixed_reads import applicant_with_profile, rows_where
from jianli.accounts.models import Applicant, Profile
from jianli.notifications.models import Message
from jianli.portal.tests.test_progress import make_person
from jianli.registrations.models import ApplicationEvent, State
from jianli.testing import cast

pytestmark = pytest.mark.django_db


def test_the_signed_in_applicant_reads_as_the_orm_reads_it_with_the_profile_in_the_same_query() -> None:
    person = cast.applicant(name="王建国", sequence=12, mobile="13912345678")
    orm = Applicant.objects.select_related("profile").get(pk=person.pk)
    with CaptureQueriesContext(connection) as ctx:
        fixed = applicant_with_profile(person.pk)
        assert fixed is not None
        assert fixed.profile.pk == orm.profile.pk and fixed.profile.nickname == orm.profile.nickname
        assert fixed.profile.applicant is fixed
    assert len(ctx.captured_queries) == 1
    for field in Applicant._meta.concrete_fields:
        assert getattr(fixed, field.attname) == getattr(orm, field.attname), field.name
    assert fixed.mobile == "13912345678" and fixed.name == "王建国"  # decrypted, as the model gives it
    assert fixed._state.adding is False and fixed._state.db == "default"

    fixed.name = "王建设"
    fixed.save()
    assert Applicant.objects.get(pk=person.pk).name == "王建设"


def test_an_applicant_without_a_profile_or_an_unknown_one() -> None:
    person = cast.applicant(name="李四", sequence=13)
    Profile.objects.filter(applicant=person).delete()
    fixed = applicant_with_profile(person.pk)
    assert fixed is not None and getattr(fixed, "profile", None) is None
    assert applicant_with_profile(person.pk + 1000) is None


def test_rows_of_one_application_in_the_models_order_as_the_orm_reads_them() -> None:
    application = cast.application(State.IN_REVIEW, make_person())
    Message.objects.create(application=application, mobile="13912345678", text="已受理")
    Message.objects.create(application=application, mobile="13912345678", text="审查中")
    for model in (ApplicationEvent, Message):
        orm = list(model.objects.filter(application=application))
        with CaptureQueriesContext(connection) as ctx:
            fixed = rows_where(model, "application", application.pk)
        assert len(ctx.captured_queries) == 1 and [r.pk for r in fixed] == [r.pk for r in orm] and orm
        for a, b in zip(fixed, orm, strict=True):
            for field in model._meta.concrete_fields:
                assert getattr(a, field.attname) == getattr(b, field.attname), field.name
    assert rows_where(Message, "application", application.pk)[0].mobile == "13912345678"  # decrypted


def test_a_select_reads_as_the_orm_reads_with_its_relation_its_columns_and_its_order() -> None:
    from jianli.accounts.fixed_reads import Select
    from jianli.registrations.models import Application

    person = make_person()
    ended = cast.application(State.WITHDRAWN, person=person)
    open_one = cast.application(State.IN_REVIEW, person=person)
    Application.objects.filter(pk=ended.pk).update(employer=None)
    narrow = Select(Application, where=("applicant",), fields=("number", "state", "employer"), related="employer",
                    related_fields=("name",), order=("-submitted_at", "-id"))
    orm = list(Application.objects.filter(applicant=person).select_related("employer")
               .only("number", "state", "employer__name").order_by("-submitted_at", "-id"))
    with CaptureQueriesContext(connection) as ctx:
        fixed = narrow.rows(person.pk)
        names = [a.employer.name if a.employer else None for a in fixed]
    assert len(ctx.captured_queries) == 1  # the employer came with the row; no load on access
    assert [a.pk for a in fixed] == [a.pk for a in orm] and {a.pk for a in fixed} == {ended.pk, open_one.pk}
    assert names == [a.employer.name if a.employer else None for a in orm] and None in names
    assert [a.get_deferred_fields() for a in fixed] == [a.get_deferred_fields() for a in orm]
    assert fixed[0].data == orm[0].data  # a column left out loads on access, as with .only()

    whole = Select(Application, where=("pk", "applicant"), related="employer")
    assert whole.first(open_one.pk, person.pk).data == Application.objects.get(pk=open_one.pk).data
    assert whole.first(open_one.pk, person.pk + 1) is None  # both conditions hold, or nothing


def test_a_select_among_fixed_values_reads_as_the_orms_in_lookup() -> None:
    from jianli.accounts.fixed_reads import Select
    from jianli.registrations.models import OPEN_STATES, Application, BusinessType

    person = make_person()
    ended = cast.application(State.WITHDRAWN, person=person)
    open_one = cast.application(State.IN_REVIEW, person=person)
    of_type = Select(Application, where=("applicant", "business_type"), among={"state": OPEN_STATES},
                     order=("-submitted_at", "-id"))
    orm = Application.objects.filter(applicant=person, business_type=BusinessType.INITIAL, state__in=OPEN_STATES)
    found = of_type.rows(person, BusinessType.INITIAL)  # a model and a choice given as they are
    assert [a.pk for a in found] == [a.pk for a in orm.order_by("-submitted_at", "-id")]
    assert [a.pk for a in found] == [open_one.pk] and ended.state not in OPEN_STATES
    assert of_type.first(person, BusinessType.RENEWAL) is None


@pytest.mark.parametrize("key", [2**63, 2**70, -(2**63) - 1])
def test_a_key_no_column_can_hold_matches_nothing_as_through_the_orm(key) -> None:  # type: ignore[no-untyped-def]
    """An id typed into a URL can be any integer: SQLite refuses one beyond 64 bits (OverflowError, a 500)."""
    api, person = cast.Api(), cast.api_person("李娜", 21)
    assert rows_where(ApplicationEvent, "application", key) == []
    assert api.get(f"applications/{key}", token=person.access).status_code == 404
    assert api.get(f"applications/{key}/rating", token=person.access).status_code == 404
