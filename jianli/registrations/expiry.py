"""The registration's end of life, run daily by the scheduler (every step is safe to run twice):
- a registration whose 有效期至 has passed without renewal lapses (已失效);
- an engineer over 65 (年龄超过65周岁) is flagged for the ministry and the employer: the registration lapses in
  law and is cancelled by the authority, which a reviewer confirms;
- the engineer is reminded by SMS (and a subscription message where allowed) 90, 60 and 30 days before expiry,
  each once per expiry date, unless a renewal is already under way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from jianli import identifiers
from jianli.audit import events
from jianli.notifications import services as notifications
from jianli.registrations.models import OPEN_STATES, Application, BusinessType, ExpiryReminder, Registration
from jianli.registrations.rules import MAX_AGE, add_years

REMINDER_DAYS = (90, 60, 30)
BATCH = 500

REMINDER_TEXT = (
    "【住建部政务服务】您的监理工程师注册（注册号{number}）将于{until}到期。需继续执业的，请在到期30日前通过聘用单位"
    "申请延续注册；到期未延续的，注册失效，须重新申请初始注册。"
)


def over_age_from(id_number: str) -> dt.date:
    """The first day its holder is over 65: the day after the 65th birthday (see rules.check_age)."""
    return add_years(identifiers.birth_date(id_number), MAX_AGE) + dt.timedelta(days=1)


def _chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def lapse_expired(today: dt.date) -> int:
    """Registrations still 有效 after their last valid day become 已失效, with an audit row each."""
    lapsed = 0
    while True:
        with transaction.atomic():
            batch = list(
                Registration.objects.select_for_update(skip_locked=True)
                .filter(status=Registration.Status.VALID, valid_until__lt=today)
                .only("pk", "applicant_id")[:BATCH]
            )
            if not batch:
                return lapsed
            Registration.objects.filter(pk__in=[r.pk for r in batch]).update(
                status=Registration.Status.LAPSED, lapsed_on=today, updated_at=timezone.now()
            )
            for registration in batch:
                events.registration_lapsed(registration.pk, registration.applicant_id, reason="expired")
        lapsed += len(batch)


def flag_over_age(today: dt.date) -> int:
    """Fill the over-65 day where it is unknown (new registrations), then flag the valid ones past it."""
    unknown = Registration.objects.filter(status=Registration.Status.VALID, over_age_from__isnull=True)
    for registration in unknown.select_related("applicant").iterator(chunk_size=BATCH):
        Registration.objects.filter(pk=registration.pk).update(
            over_age_from=over_age_from(registration.applicant.id_number)
        )
    flagged = 0
    due = Registration.objects.filter(
        status=Registration.Status.VALID, over_age_from__lte=today, over_age_flagged_on__isnull=True
    )
    for registration in due.only("pk", "applicant_id").iterator(chunk_size=BATCH):
        with transaction.atomic():
            if Registration.objects.filter(pk=registration.pk, over_age_flagged_on__isnull=True).update(
                over_age_flagged_on=today
            ):
                events.registration_over_age(registration.pk, registration.applicant_id)
                flagged += 1
    return flagged


@dataclass(frozen=True)
class Reminded:
    registration_id: int
    days_before: int


def remind_expiring(today: dt.date) -> list[Reminded]:
    """One reminder per registration and threshold; a registration first seen inside several thresholds (the job
    did not run, or the registration is new) gets one message, for the nearest threshold, and the others are
    recorded as passed."""
    horizon = today + dt.timedelta(days=max(REMINDER_DAYS))
    renewing = Application.objects.filter(
        business_type=BusinessType.RENEWAL, state__in=OPEN_STATES
    ).values("applicant_id")
    candidates = (
        Registration.objects.filter(status=Registration.Status.VALID, valid_until__gte=today, valid_until__lte=horizon)
        .exclude(applicant_id__in=renewing)
        .select_related("applicant", "applicant__profile")
    )
    sent = []
    for registration in candidates.iterator(chunk_size=BATCH):
        days_left = (registration.valid_until - today).days
        thresholds = [d for d in REMINDER_DAYS if days_left <= d]
        with transaction.atomic():
            done = set(
                ExpiryReminder.objects.filter(
                    registration=registration, valid_until=registration.valid_until
                ).values_list("days_before", flat=True)
            )
            new = [d for d in thresholds if d not in done]
            if not new:
                continue
            ExpiryReminder.objects.bulk_create(
                [ExpiryReminder(registration=registration, valid_until=registration.valid_until, days_before=d,
                                sent_on=today) for d in new],
                ignore_conflicts=True,
            )
            applicant = registration.applicant
            notifications.queue(
                mobile=applicant.mobile,
                text=REMINDER_TEXT.format(number=registration.number, until=_chinese_date(registration.valid_until)),
                recipient=applicant.name,
            )
            notifications.subscription_on_commit(
                profile=getattr(applicant, "profile", None), kind="expiry", page="pages/index/index",
                data={"thing1": "监理工程师注册即将到期", "date2": registration.valid_until.isoformat(),
                      "character_string3": registration.number},
            )
        sent.append(Reminded(registration.pk, min(new)))
    return sent


def run_daily(today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    lapsed = lapse_expired(today)
    flagged = flag_over_age(today)
    reminded = remind_expiring(today)
    return f"lapsed {lapsed}, over 65 flagged {flagged}, reminded {len(reminded)}"
