"""The daily end-of-life job: lapse at expiry, the over-65 flag, reminders 90/60/30 days before, the employer's list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jianli.audit.models import AuditEvent
from jianli.certificates.services import Verdict, verdict
from jianli.notifications.models import Message
from jianli.ops.scheduler import jobs
from jianli.registrations import expiry
from jianli.registrations.models import ExpiryReminder, Registration
from jianli.testing import cast
from jianli.testing.cast import office_client

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 2)


def _registration(until: dt.date, *, born: dt.date = dt.date(1985, 3, 7), sequence: int = 12) -> Registration:
    return cast.registration(cast.applicant(sequence, born=born), cast.employer(sequence), until)


def test_a_registration_lapses_the_day_after_its_last_valid_day_once() -> None:
    ends_today = _registration(TODAY, sequence=12)
    ended = _registration(TODAY - dt.timedelta(days=1), sequence=14)

    assert expiry.lapse_expired(TODAY) == 1
    assert expiry.lapse_expired(TODAY) == 0

    ended.refresh_from_db()
    ends_today.refresh_from_db()
    assert (ended.status, ended.lapsed_on) == (Registration.Status.LAPSED, TODAY)
    assert ends_today.status == Registration.Status.VALID
    assert verdict(ended.certificates.get(), TODAY) == Verdict.LAPSED
    assert AuditEvent.objects.filter(action="registration_lapsed", applicant_id=ended.applicant_id).count() == 1


def test_an_engineer_is_flagged_from_the_day_after_the_65th_birthday() -> None:
    registration = _registration(dt.date(2027, 6, 30), born=dt.date(1961, 12, 2))

    assert expiry.flag_over_age(TODAY) == 0  # the 65th birthday itself: not yet over 65
    registration.refresh_from_db()
    assert registration.over_age_from == dt.date(2026, 12, 3)

    assert expiry.flag_over_age(TODAY + dt.timedelta(days=1)) == 1
    assert expiry.flag_over_age(TODAY + dt.timedelta(days=2)) == 0
    registration.refresh_from_db()
    assert registration.over_age_flagged_on == TODAY + dt.timedelta(days=1)
    assert AuditEvent.objects.filter(action="registration_over_age").count() == 1


def test_reminders_at_90_60_and_30_days_each_once() -> None:
    registration = _registration(TODAY + dt.timedelta(days=90))
    texts = []
    for day_offset in (0, 0, 1, 30, 31, 60, 61, 89):
        for reminded in expiry.remind_expiring(TODAY + dt.timedelta(days=day_offset)):
            texts.append(reminded.days_before)
    assert texts == [90, 60, 30]
    messages = Message.objects.filter(recipient_label=registration.applicant.name)
    assert messages.count() == 3
    text = messages.first().text
    assert registration.number in text and "2027年3月2日" in text and "延续注册" in text


def test_a_late_first_sight_sends_one_reminder_and_records_the_passed_thresholds() -> None:
    registration = _registration(TODAY + dt.timedelta(days=25))
    assert [r.days_before for r in expiry.remind_expiring(TODAY)] == [30]
    assert sorted(ExpiryReminder.objects.filter(registration=registration).values_list("days_before", flat=True)) == [
        30, 60, 90]
    assert Message.objects.count() == 1


def test_no_reminder_while_a_renewal_is_under_way() -> None:
    emp = cast.employer(3)
    person = cast.applicant(16)
    cast.registration(person, emp, valid_until=TODAY + dt.timedelta(days=60))
    cast.submitted(person, emp, business_type="renewal")
    assert expiry.remind_expiring(TODAY) == []


def test_a_renewed_registration_is_reminded_again_for_its_new_expiry() -> None:
    registration = _registration(TODAY + dt.timedelta(days=30))
    assert len(expiry.remind_expiring(TODAY)) == 1
    Registration.objects.filter(pk=registration.pk).update(valid_until=TODAY + dt.timedelta(days=3 * 365 + 30))
    assert expiry.remind_expiring(TODAY + dt.timedelta(days=3 * 365)) != []


def test_the_scheduler_runs_the_daily_job() -> None:
    assert "registration_expiry" in [job.name for job in jobs()]
    _registration(TODAY - dt.timedelta(days=3))
    assert expiry.run_daily(TODAY).startswith("lapsed 1,")


def test_the_employer_sees_its_engineers_soonest_expiry_first() -> None:
    emp, other = cast.employer(5, "甲监理公司"), cast.employer(6, "乙监理公司")
    later = cast.registration(cast.applicant(12, "王甲"), emp, valid_until=TODAY + dt.timedelta(days=700))
    sooner = cast.registration(cast.applicant(14, "李乙"), emp, valid_until=TODAY + dt.timedelta(days=40))
    elsewhere = cast.registration(cast.applicant(16, "赵丙"), other, valid_until=TODAY + dt.timedelta(days=10))
    client = office_client(cast.staff(emp))
    with CaptureQueriesContext(connection) as read:
        page = client.get("/office/engineers/").content.decode()
    assert page.index(sooner.number) < page.index(later.number) and "王甲" in page and "李乙" in page
    listed = next(q["sql"] for q in read.captured_queries if 'FROM "registrations_registration"' in q["sql"]
                  and "COUNT(" not in q["sql"])
    for column in ("id_number", "mobile", "id_photo_embedding"):  # shown nowhere on the list, so not read
        assert f'"accounts_applicant"."{column}"' not in listed, column
    assert elsewhere.number not in page and "赵丙" not in page
    assert "即将到期" in page
