"""好差评: the applicant rates an ended application once (changeable for JIANLI_RATING_CHANGE_DAYS); a 差评 opens a
follow-up (整改) for the ministry, due in JIANLI_RATING_FOLLOW_UP_DAYS working days (a poor rating is followed up within 15). Staff see
ratings only in aggregate, and the 差评 they must follow up."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Avg, Count, QuerySet
from django.utils import timezone

from jianli import text
from jianli.accounts.models import Applicant
from jianli.errors import ServiceError
from jianli.ratings.models import POOR_LEVELS, FollowUp, Level, Rating
from jianli.registrations import calendar
from jianli.registrations.models import Application, State

ENDED_STATES = (State.APPROVED, State.REJECTED, State.WITHDRAWN)
COMMENT_MAX = 500


def rateable(application: Application) -> bool:
    return application.state in ENDED_STATES


def may_change(rating: Rating, now: dt.datetime | None = None) -> bool:
    return (now or timezone.now()) <= rating.changeable_until()


def _clean(level: object, comment: str) -> tuple[int, str]:
    errors: dict[str, str] = {}
    try:
        value = int(str(level))
    except ValueError:
        value = 0
    if value not in Level.values:
        errors["level"] = "请选择评价等级"
    comment = (comment or "").strip()
    if wrong := text.problem(comment, label="评价内容", multiline=True):
        errors["comment"] = wrong
    elif len(comment) > COMMENT_MAX:
        errors["comment"] = f"评价内容请不超过{COMMENT_MAX}字"
    elif value in POOR_LEVELS and not comment:
        errors["comment"] = "请写明不满意的原因，以便我们改进"
    if errors:
        raise ServiceError("invalid", "评价填写有误", fields=errors, status=422)
    return value, comment


def rating_give(*, application_id: int, applicant: Applicant, level: object, comment: str = "") -> Rating:
    """Rate (or, within the period, change the rating of) the applicant's ended application."""
    value, comment = _clean(level, comment)
    with transaction.atomic():
        application = Application.objects.select_for_update().filter(pk=application_id, applicant=applicant).first()
        if application is None or application.state == State.DRAFT:
            raise ServiceError("not_found", "未找到该申请。", status=404)
        if not rateable(application):
            raise ServiceError("not_ended", "办结或撤回后才能评价。", status=409)
        now = timezone.now()
        rating = Rating.objects.filter(application=application).first()
        if rating is None:
            rating = Rating.objects.create(application=application, level=value, comment=comment, created_at=now,
                                           updated_at=now)
        else:
            if not may_change(rating, now):
                raise ServiceError(
                    "rating_closed",
                    f"评价提交{settings.JIANLI_RATING_CHANGE_DAYS}天内可以修改，已超过修改期限。", status=409)
            rating.level, rating.comment, rating.updated_at = value, comment, now
            rating.changes += 1
            rating.save()
        _follow_up(rating, now)
    return rating


def _follow_up(rating: Rating, now: dt.datetime) -> None:
    open_item = FollowUp.objects.filter(rating=rating, status=FollowUp.Status.OPEN).first()
    if rating.is_poor and open_item is None:
        FollowUp.objects.create(
            rating=rating, application_id=rating.application_id, level=rating.level, opened_at=now,
            due=calendar.add_working_days(timezone.localdate(now), settings.JIANLI_RATING_FOLLOW_UP_DAYS),
        )
    elif rating.is_poor and open_item is not None:
        open_item.level = rating.level
        open_item.save(update_fields=["level"])
    elif open_item is not None:
        open_item.status = FollowUp.Status.CLOSED
        open_item.closed_at = now
        open_item.note = f"申请人已改评为“{rating.get_level_display()}”。"
        open_item.save()


def follow_up_close(*, follow_up_id: int, user: AbstractBaseUser, note: str) -> FollowUp:
    note = (note or "").strip()
    if wrong := text.problem(note, label="整改情况", multiline=True):
        raise ServiceError("invalid", wrong, fields={"note": wrong}, status=422)
    if not note:
        raise ServiceError("invalid", "请填写整改情况", fields={"note": "请填写整改情况（联系申请人、整改措施及结果）"},
                           status=422)
    with transaction.atomic():
        item = FollowUp.objects.select_for_update().filter(pk=follow_up_id).first()
        if item is None:
            raise ServiceError("not_found", "未找到该整改事项。", status=404)
        if item.status != FollowUp.Status.OPEN:
            raise ServiceError("conflict", "该整改事项已办结。", status=409)
        item.status = FollowUp.Status.CLOSED
        item.closed_at = timezone.now()
        item.closed_by_id = user.pk
        item.note = note[:2000]
        item.save()
    return item


@dataclass(frozen=True)
class Summary:
    counts: list[tuple[int, str, int]]  # (level, label, n), best first
    total: int
    average: float | None
    poor: int

    @property
    def poor_share(self) -> float | None:
        return self.poor / self.total if self.total else None


def summary(ratings: QuerySet[Rating] | None = None) -> Summary:
    """Ratings in aggregate (one GROUP BY): what staff may see of them."""
    qs = Rating.objects.all() if ratings is None else ratings
    by_level = dict(qs.order_by().values_list("level").annotate(n=Count("pk")))
    average = qs.aggregate(a=Avg("level"))["a"]
    counts = [(lv.value, lv.label, int(by_level.get(lv.value, 0))) for lv in Level]
    return Summary(counts, sum(n for *_, n in counts), float(average) if average is not None else None,
                   sum(n for lv, _, n in counts if lv in POOR_LEVELS))
