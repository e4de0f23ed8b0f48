"""A reviewer's day: claim the next file due, claim or release many at once, and the team lead (组长) who hands
files to reviewers and sees each one's load."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Count, Q
from django.http import HttpRequest

from jianli.errors import Conflict, ServiceError
from jianli.registrations import roles, services
from jianli.registrations.models import QUEUE_STATES, Application, State

TEAM_LEAD_GROUP = "组长"
NEXT_CANDIDATES = 5


def is_team_lead(user: Any) -> bool:
    return TEAM_LEAD_GROUP in roles.group_names(user)


def may_use_console(user: Any) -> bool:
    return roles.is_review_staff(user) or is_team_lead(user)


def reviewers() -> list[User]:
    return list(User.objects.filter(groups__name=roles.REVIEWER_GROUP, is_active=True).order_by("username"))


def claim_next(*, user: User, request: HttpRequest | None = None) -> Application | None:
    """领取下一件: the waiting file whose deadline comes first (then the oldest). Another reviewer taking the same
    file at the same moment wins it; this one then takes the next. None when nothing waits."""
    roles.reviewer_actor(user)
    for _ in range(3):
        candidates = list(
            Application.objects.filter(state=State.AWAITING_REVIEW)
            .order_by("deadline", "id").values_list("pk", flat=True)[:NEXT_CANDIDATES]
        )
        if not candidates:
            return None
        for pk in candidates:
            try:
                return services.application_claim(application_id=pk, user=user, request=request)
            except Conflict:
                continue
    return None


@dataclass
class Outcome:
    done: list[str]
    refused: list[tuple[str, str]]  # (办件编号, why)


def _each(numbers: list[str], act: Any) -> Outcome:
    done: list[str] = []
    refused: list[tuple[str, str]] = []
    apps = dict(Application.objects.filter(number__in=numbers[:100]).values_list("number", "pk"))
    for number in numbers[:100]:
        if number not in apps:
            refused.append((number, "未找到该办件"))
            continue
        try:
            act(apps[number])
        except ServiceError as e:
            refused.append((number, e.message))
        else:
            done.append(number)
    return Outcome(done, refused)


def claim_many(*, numbers: list[str], user: User, request: HttpRequest | None = None) -> Outcome:
    """批量领取: each file in its own transaction; a file someone else took first is reported, not an error."""
    return _each(numbers, lambda pk: services.application_claim(application_id=pk, user=user, request=request))


def release_many(*, numbers: list[str], user: User, request: HttpRequest | None = None) -> Outcome:
    return _each(numbers, lambda pk: services.application_release(application_id=pk, user=user, request=request))


def reassign(*, application_id: int, lead: User, to: User | None, request: HttpRequest | None = None) -> Application:
    """改派: the team lead hands a waiting or claimed file to a reviewer (the new claimer)."""
    if not is_team_lead(lead):
        raise ServiceError("forbidden", "您不是组长，无权改派。", status=403)
    if to is None or not roles.is_reviewer(to):
        raise ServiceError("invalid", "请选择审查人员", fields={"to": "请选择审查人员"}, status=422)
    return services.application_reassign(application_id=application_id, lead=lead, to=to, request=request)


def reassign_many(*, numbers: list[str], lead: User, to: User | None, request: HttpRequest | None = None) -> Outcome:
    if not is_team_lead(lead):
        raise ServiceError("forbidden", "您不是组长，无权改派。", status=403)
    if to is None or not roles.is_reviewer(to):
        raise ServiceError("invalid", "请选择审查人员", fields={"to": "请选择审查人员"}, status=422)
    return _each(numbers, lambda pk: reassign(application_id=pk, lead=lead, to=to, request=request))


@dataclass
class Load:
    user: User
    in_review: int
    in_correction: int


def reviewer_load() -> list[Load]:
    """Files each reviewer holds (审查中, and 补正中 waiting for the applicant). Counted over the open claimed rows
    only, through app_claimed (partial on the open states, same predicate): a reviewer holds dozens, so this
    never reads the waiting queue nor the files they decided."""
    people = reviewers()
    held: dict[int, Mapping[str, Any]] = {
        row["claimed_by"]: row
        for row in Application.objects.filter(state__in=QUEUE_STATES, claimed_by__in=[u.pk for u in people])
        .values("claimed_by").annotate(review=Count("id", filter=Q(state=State.IN_REVIEW)),
                                       correction=Count("id", filter=Q(state=State.IN_CORRECTION)))
    }
    return [Load(u, int(held.get(u.pk, {}).get("review", 0)), int(held.get(u.pk, {}).get("correction", 0)))
            for u in people]
