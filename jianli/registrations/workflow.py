"""The workflow of an application: every state, every transition, who may fire it, and its guard.

This module is the only place that assigns `Application.state`. A transition runs in one transaction that
locks the row, checks the state it expects, applies its effect, writes the ApplicationEvent and the audit
row, and queues notifications to run after commit. Two people acting at once: one wins, the other gets
`Conflict` ("已被他人处理").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from jianli.audit import events
from jianli.errors import Conflict, ServiceError
from jianli.ops import metrics
from jianli.registrations import counts
from jianli.registrations.models import ActorKind, Application, ApplicationEvent, State


class Action(StrEnum):
    SUBMIT = "submit"
    REPORT = "report"
    RETURN = "return"
    RESUBMIT = "resubmit"
    WITHDRAW = "withdraw"
    CLAIM = "claim"
    RELEASE = "release"
    REQUEST_CORRECTION = "request_correction"
    RESUBMIT_CORRECTION = "resubmit_correction"
    APPROVE = "approve"
    REJECT = "reject"
    CLOSE = "close"
    REASSIGN = "reassign"


@dataclass(frozen=True)
class Transition:
    action: Action
    label: str
    sources: tuple[State, ...]
    target: State
    actor: ActorKind


TRANSITIONS: dict[Action, Transition] = {
    t.action: t
    for t in [
        Transition(Action.SUBMIT, "提交申请", (State.DRAFT,), State.AWAITING_EMPLOYER, ActorKind.APPLICANT),
        Transition(Action.REPORT, "确认上报", (State.AWAITING_EMPLOYER,), State.AWAITING_REVIEW, ActorKind.EMPLOYER),
        Transition(Action.RETURN, "企业退回", (State.AWAITING_EMPLOYER,), State.RETURNED, ActorKind.EMPLOYER),
        Transition(Action.RESUBMIT, "重新提交", (State.RETURNED,), State.AWAITING_EMPLOYER, ActorKind.APPLICANT),
        Transition(
            Action.WITHDRAW,
            "撤回业务",
            (State.AWAITING_EMPLOYER, State.RETURNED, State.AWAITING_REVIEW),
            State.WITHDRAWN,
            ActorKind.APPLICANT,
        ),
        Transition(Action.CLAIM, "领取审查", (State.AWAITING_REVIEW,), State.IN_REVIEW, ActorKind.REVIEWER),
        Transition(Action.RELEASE, "释放", (State.IN_REVIEW,), State.AWAITING_REVIEW, ActorKind.REVIEWER),
        # A team lead (组长) hands a file, claimed or not, to a reviewer.
        Transition(
            Action.REASSIGN, "改派", (State.AWAITING_REVIEW, State.IN_REVIEW), State.IN_REVIEW, ActorKind.REVIEWER
        ),
        Transition(
            Action.REQUEST_CORRECTION, "补正", (State.IN_REVIEW,), State.IN_CORRECTION, ActorKind.REVIEWER
        ),
        # Resubmission after 补正 goes back to the employer only if facts it confirmed changed.
        Transition(
            Action.RESUBMIT_CORRECTION,
            "补正后提交",
            (State.IN_CORRECTION,),
            State.AWAITING_REVIEW,
            ActorKind.APPLICANT,
        ),
        Transition(Action.APPROVE, "准予注册", (State.IN_REVIEW,), State.APPROVED, ActorKind.REVIEWER),
        Transition(Action.REJECT, "不予注册", (State.IN_REVIEW,), State.REJECTED, ActorKind.REVIEWER),
        # The basis of an open application vanished (its registration was cancelled or lapsed): 终止办理.
        Transition(
            Action.CLOSE,
            "终止办理",
            (State.AWAITING_EMPLOYER, State.RETURNED, State.AWAITING_REVIEW, State.IN_REVIEW, State.IN_CORRECTION),
            State.REJECTED,
            ActorKind.SYSTEM,
        ),
    ]
}


@dataclass
class Actor:
    kind: ActorKind
    user_id: int | None = None
    label: str = ""
    applicant_id: int | None = None
    employer_id: int | None = None
    request: HttpRequest | None = field(default=None, repr=False)
    # An approver (复核) confirming a proposed 不予注册: the one reviewer action not taken by the claimer.
    second_look: bool = False
    # A team lead (组长) reassigning: the one reviewer action on a file claimed by someone else, and only that.
    team_lead: bool = False


Effect = Callable[[Application], "State | None"]


def allowed(application: Application, action: Action) -> bool:
    return application.state in TRANSITIONS[action].sources


def _may_fire(application: Application, transition: Transition, actor: Actor) -> bool:
    if actor.kind != transition.actor:
        return False
    if actor.kind == ActorKind.APPLICANT:
        return application.applicant_id == actor.applicant_id
    if actor.kind == ActorKind.EMPLOYER:
        return application.employer_id is not None and application.employer_id == actor.employer_id
    if actor.kind == ActorKind.REVIEWER and (actor.team_lead or transition.action == Action.REASSIGN):
        return actor.team_lead and transition.action == Action.REASSIGN
    if actor.kind == ActorKind.REVIEWER and transition.action != Action.CLAIM:
        # Only the reviewer who claimed the application may act on it.
        if actor.second_look:
            return transition.action == Action.REJECT and application.claimed_by_id != actor.user_id
        return application.claimed_by_id == actor.user_id
    return True


def fire(
    application_id: int,
    action: Action,
    *,
    actor: Actor,
    expected_state: State | str | None = None,
    comment: str = "",
    problems: list[dict[str, str]] | None = None,
    effect: Effect | None = None,
    after_commit: Callable[[Application], None] | None = None,
) -> Application:
    """Fire one transition. `effect` changes the locked row (and related rows) and may pick the target."""
    transition = TRANSITIONS[action]
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application_id)
        if application.state not in transition.sources or (
            expected_state is not None and application.state != expected_state
        ):
            raise Conflict()
        if not _may_fire(application, transition, actor):
            if actor.kind == ActorKind.REVIEWER and application.claimed_by_id:
                raise Conflict("该办件已由其他审查人员领取，请刷新后查看。")
            raise ServiceError("forbidden", "您无权办理该办件。", status=403)
        from_state = application.state
        counted = counts.key(application)
        target = transition.target
        if effect is not None:
            target = effect(application) or target
        application.state = target
        application.save()
        counts.move(counted, counts.key(application))
        ApplicationEvent.objects.create(
            application=application,
            action=action,
            from_state=from_state,
            to_state=target,
            actor_kind=actor.kind,
            actor_user_id=actor.user_id,
            actor_label=actor.label,
            comment=comment,
            problems=problems or [],
            created_at=timezone.now(),
        )
        events.application_transition(
            actor.request,
            application.pk,
            application.applicant_id,
            action,
            from_state,
            target,
            actor=(actor.kind, actor.user_id or actor.applicant_id, actor.label),
        )

        # The SMS rows commit with the transition (an outbox): a fault right after the commit cannot lose them;
        # a message whose delivery was not enqueued is picked up by `jianli send-messages`.
        from jianli.notifications.services import notify_transition

        notify_transition(application.pk, action)
        from jianli.documents.services import queue_for

        queue_for(application, action)
        if after_commit is not None:
            transaction.on_commit(lambda: after_commit(application))
    metrics.transitions.labels(action=str(action)).inc()
    return application
