"""The workflow of an application: every state, every transition, who may fire it, its guard and its targets.

This module is the only place that assigns `Application.state`, and `jianli.registrations.services` is the only
caller of `fire`. A transition runs in one transaction that locks the row, checks the state it expects, who acts
and the transition's guard, applies its effect (which may pick one of the declared targets), writes the
ApplicationEvent and the audit row, and queues notifications in the same transaction (an outbox). Two people
acting at once: one wins, the other gets `Conflict` ("已被他人处理").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from jianli.accounts.models import Applicant
from jianli.audit import events
from jianli.documents.services import queue_for
from jianli.errors import Conflict, ServiceError
from jianli.notifications.services import notify_transition
from jianli.ops import metrics
from jianli.registrations import counts, rules
from jianli.registrations.models import (
    ActorKind,
    Application,
    ApplicationEvent,
    BusinessType,
    State,
)
from jianli.registrations.submission import submission_employer
from jianli.registrations.two_person import Decision, pending_proposal, second_look_reason


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
    REJECT = "reject"  # 复核 agrees to a proposed 不予注册 (services.application_rejection_confirm)
    CLOSE = "close"
    REASSIGN = "reassign"


@dataclass
class Actor:
    kind: ActorKind
    user_id: int | None = None
    label: str = ""
    applicant_id: int | None = None
    employer_id: int | None = None
    request: HttpRequest | None = field(default=None, repr=False)
    # An approver (复核) confirming a proposed decision (two_person.TWO_PERSON): the one reviewer action not taken
    # by the claimer.
    second_look: bool = False
    # A team lead (组长) reassigning: the one reviewer action on a file claimed by someone else, and only that.
    team_lead: bool = False


Guard = Callable[[Application, Actor], None]
Effect = Callable[[Application], "State | None"]


# ---------------------------------------------------------------- guards: run on the locked row, raise to refuse


def _no_guard(application: Application, actor: Actor) -> None:
    return None


def _not_claimed(application: Application, actor: Actor) -> None:
    if application.claimed_by_id is not None:
        raise Conflict("审查已开始，无法撤回。")


def _nothing_waiting(application: Application, actor: Actor) -> None:
    proposal = pending_proposal(application)
    if proposal is not None:
        raise ServiceError("pending_rejection", f"已提请{Decision(proposal.decision).label}，正在等待复核，"
                           "复核前不能进行其他操作。", status=409)


def _decision(decision: Decision) -> Guard:
    """A decision the table in `two_person` says takes two people is made only by an approver who is not the
    proposer, on the pending proposal of that decision; otherwise the claimer makes it."""

    def guard(application: Application, actor: Actor) -> None:
        proposal = pending_proposal(application)
        if not actor.second_look:
            _nothing_waiting(application, actor)
            reason = second_look_reason(decision, application)
            if reason:
                raise ServiceError("second_look", reason, status=409)
            return
        if proposal is None or proposal.decision != decision:
            raise Conflict("没有待复核的决定，可能已被他人复核，请刷新后查看。")
        if proposal.proposed_by_id == actor.user_id:
            raise ServiceError("same_person", f"不能复核自己提请的{decision.label}，请由其他复核人员办理。", status=403)

    return guard


def _submission_rules(*, first: bool) -> Guard:
    def guard(application: Application, actor: Actor) -> None:
        # Rule (四) spans the applicant's applications: two drafts submitted at once are serialized on the
        # applicant's row, so the second sees the first as open.
        applicant = Applicant.objects.select_for_update().get(pk=application.applicant_id)
        employer = submission_employer(application)
        employer_id = employer.pk if employer else None
        refusal = rules.check_one_employer(application=application, employer_id=employer_id)
        if refusal is None and first:
            refusal = rules.eligibility(applicant=applicant, business_type=BusinessType(application.business_type),
                                        today=timezone.localdate())
        if refusal is None:
            refusal = rules.check_one_change_at_a_time(
                applicant=applicant, business_type=application.business_type, exclude_pk=application.pk
            )
        registration = application.registration
        if refusal is None and application.business_type == BusinessType.RENEWAL and registration is not None:
            refusal = rules.check_renewal_employer(registration=registration, employer_id=employer_id)
        if refusal is not None:
            raise ServiceError("ineligible", f"{refusal.message}{refusal.next_step}", status=409)

    return guard


# ---------------------------------------------------------------- the table


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: tuple[State, ...]
    targets: tuple[State, ...]  # the first is the default; an effect may pick another of these
    actor: ActorKind
    guard: Guard = _no_guard


OPEN = (State.AWAITING_EMPLOYER, State.RETURNED, State.AWAITING_REVIEW, State.IN_REVIEW, State.IN_CORRECTION)

TRANSITIONS: dict[Action, Transition] = {
    t.action: t
    for t in [
        Transition(Action.SUBMIT, (State.DRAFT,), (State.AWAITING_EMPLOYER,), ActorKind.APPLICANT,
                   _submission_rules(first=True)),
        Transition(Action.REPORT, (State.AWAITING_EMPLOYER,), (State.AWAITING_REVIEW,), ActorKind.EMPLOYER),
        Transition(Action.RETURN, (State.AWAITING_EMPLOYER,), (State.RETURNED,), ActorKind.EMPLOYER),
        Transition(Action.RESUBMIT, (State.RETURNED,), (State.AWAITING_EMPLOYER,), ActorKind.APPLICANT,
                   _submission_rules(first=False)),
        Transition(Action.WITHDRAW, (State.AWAITING_EMPLOYER, State.RETURNED, State.AWAITING_REVIEW),
                   (State.WITHDRAWN,), ActorKind.APPLICANT, _not_claimed),
        Transition(Action.CLAIM, (State.AWAITING_REVIEW,), (State.IN_REVIEW,), ActorKind.REVIEWER),
        Transition(Action.RELEASE, (State.IN_REVIEW,), (State.AWAITING_REVIEW,), ActorKind.REVIEWER,
                   _nothing_waiting),
        # A team lead (组长) hands a file, claimed or not, to a reviewer.
        Transition(Action.REASSIGN, (State.AWAITING_REVIEW, State.IN_REVIEW), (State.IN_REVIEW,), ActorKind.REVIEWER),
        Transition(Action.REQUEST_CORRECTION, (State.IN_REVIEW,), (State.IN_CORRECTION,), ActorKind.REVIEWER,
                   _nothing_waiting),
        # Resubmission after 补正 goes back to the employer only if facts it confirmed changed.
        Transition(Action.RESUBMIT_CORRECTION, (State.IN_CORRECTION,),
                   (State.AWAITING_REVIEW, State.AWAITING_EMPLOYER), ActorKind.APPLICANT),
        Transition(Action.APPROVE, (State.IN_REVIEW,), (State.APPROVED,), ActorKind.REVIEWER,
                   _decision(Decision.APPROVE)),
        Transition(Action.REJECT, (State.IN_REVIEW,), (State.REJECTED,), ActorKind.REVIEWER,
                   _decision(Decision.REJECT)),
        # The basis of an open application vanished (its registration was cancelled or lapsed): 终止办理.
        Transition(Action.CLOSE, OPEN, (State.REJECTED,), ActorKind.SYSTEM),
    ]
}


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
            return transition.action in (Action.APPROVE, Action.REJECT) and application.claimed_by_id != actor.user_id
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
) -> Application:
    """Fire one transition (called by `services` only). `effect` changes the locked row (and related rows) and
    may pick one of the transition's targets."""
    transition = TRANSITIONS[action]
    with transaction.atomic():
        # The applicant, their profile and the employer come along for the messages; only the application is locked.
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("applicant__profile", "employer")
            .get(pk=application_id)
        )
        if application.state not in transition.sources or (
            expected_state is not None and application.state != expected_state
        ):
            raise Conflict()
        if not _may_fire(application, transition, actor):
            if actor.kind == ActorKind.REVIEWER and application.claimed_by_id:
                raise Conflict("该办件已由其他审查人员领取，请刷新后查看。")
            raise ServiceError("forbidden", "您无权办理该办件。", status=403)
        transition.guard(application, actor)
        from_state = application.state
        counted = counts.key(application)
        target = (effect(application) if effect is not None else None) or transition.targets[0]
        if target not in transition.targets:
            raise ValueError(f"{action} may lead to {transition.targets}, not to {target}")
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
        notify_transition(application, action)
        queue_for(application, action)
    metrics.transitions.labels(action=str(action)).inc()
    return application
