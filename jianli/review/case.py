"""One application's full file in the ministry console and the decisions taken on it: 领取, 释放, 改派, 补正,
准予注册, 提请不予注册, 复核."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianli.audit import events
from jianli.errors import ServiceError
from jianli.identifiers import mask_id_number
from jianli.presentation import attachment_response, data_rows
from jianli.registrations import clock, rejection, roles, services, two_person, versions
from jianli.registrations.correction import correction_targets
from jianli.registrations.models import Application, Attachment, RejectionProposal, State
from jianli.registrations.spec import CORRECTION_NOTICE_DAYS, SPECS
from jianli.registrations.two_person import Decision
from jianli.replica import replica_reads
from jianli.review import context, work
from jianli.review.access import reviewer, staff_required

PROBLEM_ROWS = 6


def _application(number: str) -> Application:
    app = (
        Application.objects.select_related("applicant", "employer", "claimed_by", "registration")
        .filter(number=number).exclude(reported_at=None).first()
    )
    if app is None:
        raise Http404("未找到该办件")
    return app


def _detail_context(request: HttpRequest, app: Application, **extra: Any) -> dict[str, Any]:
    show_id = request.GET.get("show") == "id"
    events.personal_data_viewed(request, app.applicant_id, "id_number" if show_id else "application", app.pk)
    attachments = list(app.attachments.order_by("slot", "-uploaded_at"))
    slot_labels = {name: label for kind, name, label in correction_targets(app) if kind == "attachment"}
    for att in attachments:
        att.label = slot_labels.get(att.slot, att.slot)  # type: ignore[attr-defined]
    targets = correction_targets(app)
    proposal = two_person.pending_proposal(app)
    lead = work.is_team_lead(request.user)
    problems = extra.pop("problems", None) or [{} for _ in range(PROBLEM_ROWS)]
    problems += [{} for _ in range(PROBLEM_ROWS - len(problems))]
    return {
        "app": app,
        "id_shown": app.applicant.id_number if show_id else mask_id_number(app.applicant.id_number),
        "show_id": show_id,
        "rows": data_rows(app),
        "attachments": attachments,
        "events": app.events.select_related("actor_user"),
        "messages_sent": app.messages.all(),
        "diff": versions.version_diff(app),
        "days_left": clock.days_left(app),
        "received": clock.received_on(app),
        "notice_due": clock.correction_notice_due(app),
        "notice_days": CORRECTION_NOTICE_DAYS,
        "notice_passed": app.state == State.IN_REVIEW and (clock.correction_notice_due(app) or dt.date.max)
        < timezone.localdate(),
        "mine": app.claimed_by_id == request.user.pk,
        "can_claim": app.state == State.AWAITING_REVIEW,
        "targets": targets,
        "problems": list(enumerate(problems)),
        "reasons": rejection.REJECT_REASONS,
        "corrected_before": app.events.filter(action="request_correction").exists(),
        "proposal": proposal,
        "declined": app.rejection_proposals.filter(outcome=RejectionProposal.Outcome.DECLINED).last(),
        "can_second_look": proposal is not None and roles.is_approver(request.user)
        and proposal.proposed_by_id != request.user.pk,
        "proposal_reason": rejection.REJECT_REASON_LABELS.get(proposal.reason, "") if proposal else "",
        # Why an approval waits for (or, proposed now, would take) a second look: two_person.TWO_PERSON.
        "approval_second_look": two_person.second_look_reason(Decision.APPROVE, app)
        if app.state == State.IN_REVIEW else "",
        "registration": app.registration,
        "case": context.case_context(app),
        "approve_words": SPECS[app.business_type].approved_words,  # type: ignore[index]
        "can_reassign": lead and app.state in (State.AWAITING_REVIEW, State.IN_REVIEW) and proposal is None,
        "reviewers": work.reviewers() if lead else [],
        "is_reviewer": roles.is_reviewer(request.user),
        "errors": {},
        **extra,
    }


@staff_required
@replica_reads
def detail(request: HttpRequest, number: str) -> HttpResponse:
    app = _application(number)
    return render(request, "review/detail.html", _detail_context(request, app))


@staff_required
def attachment(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    app = _application(number)
    att = Attachment.objects.filter(pk=pk, application=app).first()
    if att is None:
        raise Http404("未找到该材料")
    return attachment_response(request, app, att)


def _act(request: HttpRequest, number: str, call: Any, done: str, **kwargs: Any) -> HttpResponse:
    app = _application(number)
    try:
        call(application_id=app.pk, user=reviewer(request), request=request, **kwargs)
    except ServiceError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, done)
    return redirect("review:detail", number=app.number)


@staff_required
@require_POST
def claim(request: HttpRequest, number: str) -> HttpResponse:
    return _act(request, number, services.application_claim, "已领取，请审查。")


@staff_required
@require_POST
def release(request: HttpRequest, number: str) -> HttpResponse:
    return _act(request, number, services.application_release, "已释放，办件回到待审查队列。")


@staff_required
@require_POST
def reassign(request: HttpRequest, number: str) -> HttpResponse:
    to_id = request.POST.get("to", "")
    to = User.objects.filter(pk=int(to_id)).first() if to_id.isdigit() else None
    name = (to.first_name or to.username) if to else ""

    def hand_over(*, application_id: int, user: User, request: HttpRequest) -> Application:
        return work.reassign(application_id=application_id, lead=user, to=to, request=request)

    return _act(request, number, hand_over, f"已改派给 {name}。")


@staff_required
@require_POST
def approve(request: HttpRequest, number: str) -> HttpResponse:
    """准予 (the claimer): made at once, or proposed for 复核 when two_person says it takes two people."""
    app = _application(number)
    words = SPECS[app.business_type].approved_words  # type: ignore[index]
    try:
        app = services.application_approve(application_id=app.pk, user=reviewer(request),
                                           comment=request.POST.get("comment", ""), request=request)
    except ServiceError as e:
        messages.error(request, e.message)
    else:
        proposed = app.state == State.IN_REVIEW and two_person.pending_proposal(app) is not None
        messages.success(request, f"已提请复核：{words}须经复核人员同意后作出。" if proposed else f"已{words}。")
    return redirect("review:detail", number=app.number)


@staff_required
@require_POST
def reject(request: HttpRequest, number: str) -> HttpResponse:
    app = _application(number)
    values = {"reason": request.POST.get("reason", ""), "reject_comment": request.POST.get("comment", "")}
    try:
        services.application_rejection_propose(application_id=app.pk, user=reviewer(request), reason=values["reason"],
                                                comment=values["reject_comment"], request=request)
    except ServiceError as e:
        errors = {("reject_comment" if k == "comment" else k): v for k, v in e.fields.items()}
        return render(request, "review/detail.html",
                      _detail_context(request, app, errors=errors, values=values, error_message=e.message),
                      status=e.status)
    messages.success(request, "已提请不予注册，等待复核人员复核。")
    return redirect("review:detail", number=app.number)


@staff_required
@require_POST
def second_look(request: HttpRequest, number: str) -> HttpResponse:
    """复核: agree with a proposed decision (it is made) or send it back to the reviewer."""
    app = _application(number)
    note = request.POST.get("note", "")
    proposal = two_person.pending_proposal(app)
    approval = proposal is not None and proposal.decision == Decision.APPROVE
    words = SPECS[app.business_type].approved_words if approval else "不予注册"  # type: ignore[index]
    confirm = services.application_approval_confirm if approval else services.application_rejection_confirm
    decline = services.application_approval_decline if approval else services.application_rejection_decline
    try:
        if request.POST.get("decision") == "agree":
            confirm(application_id=app.pk, user=reviewer(request), note=note, request=request)
            messages.success(request, f"已同意，作出{words}决定。")
        else:
            decline(application_id=app.pk, user=reviewer(request), note=note, request=request)
            messages.success(request, "已退回审查人员。")
    except ServiceError as e:
        if e.fields:
            return render(request, "review/detail.html",
                          _detail_context(request, app, errors=e.fields, note=note, error_message=e.message),
                          status=e.status)
        messages.error(request, e.message)
    return redirect("review:detail", number=app.number)


@staff_required
@require_POST
def correction(request: HttpRequest, number: str) -> HttpResponse:
    app = _application(number)
    problems = []
    for i in range(PROBLEM_ROWS):
        target = request.POST.get(f"target_{i}", "")
        kind, _, name = target.partition(":")
        problems.append({"kind": kind, "name": name, "message": request.POST.get(f"message_{i}", ""),
                         "target": target})
    try:
        services.application_request_correction(
            application_id=app.pk, user=reviewer(request), request=request,
            problems=[{k: p[k] for k in ("kind", "name", "message")} for p in problems],
            comment=request.POST.get("comment", ""),
        )
    except ServiceError as e:
        return render(request, "review/detail.html",
                      _detail_context(request, app, errors=e.fields, problems=problems, error_message=e.message,
                                      open_form="correction"),
                      status=e.status)
    messages.success(request, "已发出补正通知，审查期限暂停计算。")
    return redirect("review:detail", number=app.number)
