"""The rules of each business type (issue 16 item 1), each a named function in rules/, checked at submission
and again at decision; the stories of the issue's "Why" are the last tests."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from jianli import pii
from jianli.errors import ServiceError
from jianli.registrations import counts, rules, services, submission
from jianli.registrations.models import Application, BusinessType, Qualification, Registration, State
from jianli.testing import cast, pdf_bytes

D = dt.date
TODAY = D(2026, 12, 2)
OBTAINED = D(2024, 10, 20)


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    emp = cast.employer(1)
    return {"emp": emp, "staff": cast.staff(emp), "reviewer": cast.reviewer(), "person": cast.applicant()}


def registration(person, emp, valid_from: dt.date) -> Registration:  # type: ignore[no-untyped-def]
    reg = Registration.objects.create(
        number=f"11{person.pk:012d}", applicant=person, employer=emp, specialties=["房屋建筑工程"],
        valid_from=valid_from, valid_until=rules.add_years(valid_from, 3) - dt.timedelta(days=1),
    )
    reg.certificates.create(number=f"C{person.pk:08d}", issued_on=valid_from)
    return reg


def code(refusal: rules.Refusal | None) -> str | None:
    return refusal.code if refusal else None


@pytest.mark.parametrize(
    ("days_before_expiry", "expected"),
    [
        (1094, "renewal_too_early"),  # the day the registration started
        (91, "renewal_too_early"),
        (90, None),  # the window opens
        (30, None),  # the last day (30 days before expiry)
        (29, "renewal_window_passed"),
        (0, "renewal_window_passed"),
        (-1, "registration_expired"),  # lapsed: 初始注册 again
    ],
)
def test_renewal_window(world, days_before_expiry: int, expected: str | None) -> None:  # type: ignore[no-untyped-def]
    reg = registration(world["person"], world["emp"], D(2025, 1, 1))
    today = reg.valid_until - dt.timedelta(days=days_before_expiry)
    assert code(rules.check_renewal_window(registration=reg, today=today)) == expected


def test_renewal_window_opening_is_a_setting(world, settings) -> None:  # type: ignore[no-untyped-def]
    reg = registration(world["person"], world["emp"], D(2025, 1, 1))
    settings.JIANLI_RENEWAL_OPENS_DAYS = 180
    assert rules.check_renewal_window(registration=reg, today=reg.valid_until - dt.timedelta(days=150)) is None


@pytest.mark.parametrize(
    ("valid_from", "valid_until", "new_until"),
    [
        (D(2024, 1, 1), D(2026, 12, 31), D(2029, 12, 31)),
        (D(2021, 3, 1), D(2024, 2, 29), D(2027, 2, 28)),
    ],
)
def test_renewed_validity_is_old_expiry_plus_three_years_and_keeps_its_start(  # type: ignore[no-untyped-def]
    world, valid_from, valid_until, new_until
) -> None:
    reg = Registration(valid_from=valid_from, valid_until=valid_until)
    assert rules.renewed_validity(reg) == (valid_from, new_until)


@pytest.mark.parametrize(("same", "expected"), [(True, None), (False, "renewal_other_employer")])
def test_renewal_employer_is_the_registered_one(world, same: bool, expected) -> None:  # type: ignore[no-untyped-def]
    reg = registration(world["person"], world["emp"], D(2025, 1, 1))
    other = cast.employer(2)
    employer_id = world["emp"].pk if same else other.pk
    refusal = rules.check_renewal_employer(registration=reg, employer_id=employer_id)
    assert code(refusal) == expected
    if refusal:
        assert refusal.apply_for == "change"


@pytest.mark.parametrize(
    ("total", "compulsory", "elective", "errors"),
    [
        (96, "48", "48", set()),
        (96, "10", "0", {"ce_compulsory_hours", "ce_elective_hours"}),
        (96, "48", "47", {"ce_elective_hours"}),
        (96, "", "abc", {"ce_compulsory_hours", "ce_elective_hours"}),
        (60, "30", "30", set()),
        (60, "29", "30", {"ce_compulsory_hours"}),
    ],
)
def test_continuing_education_hours_follow_the_setting(  # type: ignore[no-untyped-def]
    settings, total, compulsory, elective, errors
) -> None:
    settings.JIANLI_CONTINUING_EDUCATION_HOURS = total
    data = {"ce_compulsory_hours": compulsory, "ce_elective_hours": elective}
    found = rules.check_continuing_education(data=data, needed=True)
    assert set(found) == errors
    assert all("学时" in m for m in found.values())
    assert rules.check_continuing_education(data={}, needed=False) == {}


def roster(person, number: str = "JL2020110100077", obtained: dt.date = OBTAINED) -> Qualification:  # type: ignore[no-untyped-def]
    return Qualification.objects.create(
        certificate_number=number, name=person.name, id_hash=pii.lookup_hash(person.id_number),
        category="土木建筑工程", obtained_on=obtained,
    )


@pytest.mark.parametrize(
    ("number", "date", "errors"),
    [
        ("JL2020110100077", "2024-10-20", set()),
        ("jl2020110100077", "2024-10-20", set()),
        ("WRONG-999", "2024-10-20", {"qualification_number"}),
        ("JL2020110100077", "2024-10-21", {"qualification_date"}),
        ("WRONG-999", "2019-01-01", {"qualification_number", "qualification_date"}),
    ],
)
def test_typed_qualification_must_match_the_roster(world, number, date, errors) -> None:  # type: ignore[no-untyped-def]
    roster(world["person"])
    found = rules.check_roster_match(applicant=world["person"], data={"qualification_number": number,
                                                                     "qualification_date": date})
    assert set(found) == errors
    assert all("资格库" in m for m in found.values())


def test_continuing_education_of_initial_registration_is_decided_from_the_roster_date(world) -> None:  # type: ignore[no-untyped-def]
    person = world["person"]
    roster(person, obtained=timezone.localdate() - dt.timedelta(days=365 * 5))
    typed = {**cast.initial_data(world["emp"]), "qualification_number": "JL2020110100077",
             "qualification_date": timezone.localdate().isoformat()}  # a recent typed date: no CE asked
    app = Application(applicant=person, business_type=BusinessType.INITIAL, data=typed)
    problems = rules.field_problems(application=app, today=timezone.localdate())
    assert {"qualification_date", "ce_compulsory_hours", "ce_elective_hours"} <= set(problems)


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        (BusinessType.CANCELLATION, BusinessType.REPLACEMENT, "open_change"),
        (BusinessType.RENEWAL, BusinessType.CHANGE, "open_change"),
        (BusinessType.CHANGE, BusinessType.CANCELLATION, "open_change"),
        (BusinessType.CHANGE, BusinessType.INITIAL, None),
    ],
)
def test_one_open_application_changing_a_registration(world, first, second, expected) -> None:  # type: ignore[no-untyped-def]
    # In its renewal window, so that any of the four may be submitted.
    reg = registration(world["person"], world["emp"], rules.add_years(timezone.localdate(), -3) + dt.timedelta(days=60))
    open_one = cast.submitted(world["person"], world["emp"], first, data={}, registration=reg)
    refusal = rules.check_one_change_at_a_time(applicant=world["person"], business_type=second)
    assert code(refusal) == expected
    if refusal:
        assert refusal.open_application == open_one.pk
        assert open_one.number in refusal.message


def test_basis_check(world) -> None:  # type: ignore[no-untyped-def]
    reg = registration(world["person"], world["emp"], D(2025, 1, 1))
    app = Application(applicant=world["person"], business_type=BusinessType.REPLACEMENT)
    assert rules.check_basis(application=app, today=TODAY) is None
    reg.status = Registration.Status.CANCELLED
    reg.save()
    assert code(rules.check_basis(application=app, today=TODAY)) == "basis_gone"
    assert rules.check_basis(application=Application(applicant=world["person"], business_type="initial"),
                             today=TODAY) is None


# -- the stories of issue 16 ------------------------------------------------------------------------------


def test_story_early_renewal_the_day_the_registration_started_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    registration(world["person"], world["emp"], today)
    refusal = rules.eligibility(applicant=world["person"], business_type="renewal", today=today)
    assert code(refusal) == "renewal_too_early"


def test_story_renewal_keeps_the_engineer_registered_today(world) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    reg = registration(world["person"], world["emp"], rules.add_years(today, -3) + dt.timedelta(days=60))
    old_until = reg.valid_until
    app = cast.submitted(world["person"], world["emp"], BusinessType.RENEWAL, registration=reg,
                         data={"employer": world["emp"].uscc, "ce_compulsory_hours": "48", "ce_elective_hours": "48"})
    cast.in_review(app, world["staff"], world["reviewer"])
    services.application_approve(application_id=app.pk, user=world["reviewer"])
    reg.refresh_from_db()
    assert reg.is_valid_on(today)
    assert reg.valid_until == rules.add_years(old_until, 3)


def test_story_roster_mismatch_refused_at_decision(world) -> None:  # type: ignore[no-untyped-def]
    record = roster(world["person"])
    app = cast.submitted(world["person"], world["emp"])
    cast.in_review(app, world["staff"], world["reviewer"])
    # The roster's record was corrected while the application waited: the decision checks it again.
    Qualification.objects.filter(pk=record.pk).update(certificate_number="JL2020110100078", obtained_on=D(2025, 1, 1))
    with pytest.raises(ServiceError) as e:
        services.application_approve(application_id=app.pk, user=world["reviewer"])
    assert set(e.value.fields) == {"qualification_number", "qualification_date"}
    assert Application.objects.get(pk=app.pk).state == State.IN_REVIEW
    assert not Registration.objects.filter(applicant=world["person"]).exists()


def test_story_roster_mismatch_is_replaced_by_the_roster_at_submission(world) -> None:  # type: ignore[no-untyped-def]
    # The roster is the source of truth: a wrong number saved behind the page's back is re-synced on submit.
    q = roster(world["person"])
    draft = submission.draft_get_or_create(applicant=world["person"], business_type=BusinessType.INITIAL)
    assert draft.data["qualification_number"] == q.certificate_number
    data = {**cast.initial_data(world["emp"]), "qualification_number": "WRONG-999",
            "work_history": [{"start": "2010-01-01", "end": "", "employer": "甲公司", "position": "监理员"}],
            "projects": [{"name": "某工程", "role": "监理员", "year": "2020"}]}
    submission.draft_save(application=draft, data=data)
    for slot in ("id_card", "qualification_certificate", "labour_contract"):
        submission.attachment_upload(application=draft, slot=slot, filename="a.pdf", content=pdf_bytes())
    submitted = services.application_submit(application=draft, applicant=world["person"])
    assert submitted.state != State.DRAFT
    assert submitted.versions.get().data["qualification_number"] == q.certificate_number
    assert submitted.data["qualification_date"] == q.obtained_on.isoformat()


def test_story_renewal_through_another_employer_with_ten_hours_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    reg = registration(world["person"], world["emp"], rules.add_years(today, -3) + dt.timedelta(days=60))
    other = cast.employer(2)
    with pytest.raises(ServiceError) as e:
        cast.submitted(world["person"], other, BusinessType.RENEWAL, registration=reg,
                       data={"employer": other.uscc, "ce_compulsory_hours": "10", "ce_elective_hours": "0"})
    assert set(e.value.fields) == {"ce_compulsory_hours", "ce_elective_hours"}
    with pytest.raises(ServiceError) as e:
        cast.submitted(world["person"], other, BusinessType.RENEWAL, registration=reg, data={"employer": other.uscc})
    assert "变更注册" in e.value.message
    assert not Application.objects.filter(applicant=world["person"]).exclude(state=State.DRAFT).exists()
    app2 = Application(applicant=world["person"], business_type=BusinessType.RENEWAL,
                       data={"ce_compulsory_hours": "10", "ce_elective_hours": "0"})
    assert set(rules.field_problems(application=app2, today=today)) == {"ce_compulsory_hours", "ce_elective_hours"}


def test_story_cancellation_closes_the_open_replacement(world) -> None:  # type: ignore[no-untyped-def]
    reg = registration(world["person"], world["emp"], D(2025, 1, 1))
    cancel = cast.submitted(world["person"], world["emp"], BusinessType.CANCELLATION, registration=reg,
                            data={"cancellation_reason": "本人申请"})
    # Both open, as data from before the one-at-a-time rule may be (the rule refuses the second at submission).
    assert code(rules.check_one_change_at_a_time(applicant=world["person"], business_type="replacement")) == "open_change"
    replace = Application.objects.create(
        applicant=world["person"], business_type=BusinessType.REPLACEMENT, state=State.AWAITING_REVIEW,
        employer=world["emp"], registration=reg, data={"replacement_reason": "污损"}, reported_at=timezone.now(),
    )
    counts.rebuild()
    cast.in_review(cancel, world["staff"], world["reviewer"])
    services.application_approve(application_id=cancel.pk, user=world["reviewer"])
    replace.refresh_from_db()
    assert replace.state == State.REJECTED
    assert "已注销" in replace.decision_comment and "终止办理" in replace.decision_comment
    assert replace.events.last().action == "close"


def test_story_basis_vanished_before_decision_closes_instead_of_sticking(world) -> None:  # type: ignore[no-untyped-def]
    reg = registration(world["person"], world["emp"], D(2025, 1, 1))
    replace = cast.submitted(world["person"], world["emp"], BusinessType.REPLACEMENT, registration=reg,
                             data={"replacement_reason": "污损"})
    cast.in_review(replace, world["staff"], world["reviewer"])
    Registration.objects.filter(pk=reg.pk).update(status=Registration.Status.CANCELLED)
    result = services.application_approve(application_id=replace.pk, user=world["reviewer"])
    assert result.state == State.REJECTED
    assert "终止办理" in result.decision_comment


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="needs row locks (PostgreSQL)")
def test_two_drafts_naming_different_employers_submitted_at_once_one_passes() -> None:
    """Rule (四) under the applicant's row lock (issue 15 item 5): a 注销注册 through the registered employer and a
    变更注册 to another, submitted at the same moment: exactly one passes."""
    emp, other = cast.employer(1), cast.employer(2)
    person = cast.applicant()
    reg = registration(person, emp, D(2025, 1, 1))
    cancel = submission.draft_get_or_create(applicant=person, business_type=BusinessType.CANCELLATION)
    submission.draft_save(application=cancel, data={"cancellation_reason": "本人申请"})
    change = submission.draft_get_or_create(applicant=person, business_type=BusinessType.CHANGE)
    submission.draft_save(application=change, data={"change_items": ["employer"], "employer": other.uscc,
                                                    "leave_date": "2026-11-01"})
    for slot in ("labour_contract", "termination_proof"):
        submission.attachment_upload(application=change, slot=slot, filename="a.pdf", content=pdf_bytes())
    assert reg.pk and cancel.registration_id == reg.pk
    results: list[str] = []
    barrier = threading.Barrier(2)

    def go(app: Application) -> None:
        try:
            barrier.wait()
            services.application_submit(application=app, applicant=person)
            results.append("ok")
        except ServiceError as e:
            results.append(e.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=go, args=(d,)) for d in (cancel, change)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ineligible", "ok"]
    assert Application.objects.filter(applicant=person, state=State.AWAITING_EMPLOYER).count() == 1
