"""Who acts on an application, and as whom the workflow records them.

Users in Group "审查" (reviewers) claim, ask for 补正 and approve; the claimer alone acts on a claimed application.
The decisions that take two people are declared in `two_person.TWO_PERSON` (不予注册; 准予注册 on a roster record
edited by hand): the claimer proposes, a user in Group "复核" (approver) who is not the proposer agrees, which makes
the decision, or sends it back to the reviewer. While a proposal waits, the claimer cannot decide, release or ask
for 补正.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest

from jianli.accounts.models import Applicant
from jianli.employers.models import EmployerStaff
from jianli.errors import ServiceError
from jianli.registrations.models import ActorKind
from jianli.registrations.workflow import Actor

REVIEWER_GROUP = "审查"
APPROVER_GROUP = "复核"


def group_names(user: Any) -> frozenset[str]:
    """The groups of a signed-in, active user, read once per user object: a console page asks several times
    (may use the console, 审查, 组长) and the user object lives for one request. Like Django's permission cache,
    a change of groups shows from the next request on."""
    if not (user and user.is_authenticated and user.is_active):
        return frozenset()
    names = getattr(user, "_jianli_groups", None)
    if names is None:
        names = frozenset(user.groups.values_list("name", flat=True))
        user._jianli_groups = names
    return names


def _in_group(user: Any, name: str) -> bool:
    return name in group_names(user)


def is_reviewer(user: Any) -> bool:
    return _in_group(user, REVIEWER_GROUP)


def is_approver(user: Any) -> bool:
    return _in_group(user, APPROVER_GROUP)


def is_review_staff(user: Any) -> bool:
    """Ministry staff of either group: they may use the review console and look up anyone's progress."""
    return bool(group_names(user) & {REVIEWER_GROUP, APPROVER_GROUP})


def name_of(user: AbstractBaseUser) -> str:
    return getattr(user, "first_name", "") or user.get_username()


def applicant_actor(applicant: Applicant, request: HttpRequest | None = None) -> Actor:
    return Actor(ActorKind.APPLICANT, applicant_id=applicant.pk, label=applicant.name, request=request)


def employer_actor(staff: EmployerStaff, request: HttpRequest | None = None) -> Actor:
    return Actor(
        ActorKind.EMPLOYER,
        user_id=staff.user_id,
        label=f"{staff.employer.name} {staff.user.first_name or staff.user.get_username()}",
        employer_id=staff.employer_id,
        request=request,
    )


def reviewer_actor(user: AbstractBaseUser, request: HttpRequest | None = None) -> Actor:
    if not is_reviewer(user):
        raise ServiceError("forbidden", "您不是审查人员，无权办理。", status=403)
    return Actor(ActorKind.REVIEWER, user_id=user.pk, label=name_of(user), request=request)


def approver_actor(user: AbstractBaseUser, request: HttpRequest | None = None) -> Actor:
    if not is_approver(user):
        raise ServiceError("forbidden", "只有复核人员可以复核。", status=403)
    return Actor(ActorKind.REVIEWER, user_id=user.pk, label=f"复核 {name_of(user)}", request=request, second_look=True)


SYSTEM = Actor(ActorKind.SYSTEM, label="系统")
