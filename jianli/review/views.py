"""The ministry console (部级审核): the queue, an application's full file, 补正 / 不予注册 / 准予注册, audit search."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from jianli import pii, text
from jianli import staff_signin as signin
from jianli.accounts import session
from jianli.accounts.models import Applicant
from jianli.audit import events
from jianli.audit.models import AuditEvent
from jianli.errors import ServiceError
from jianli.identifiers import InvalidIdentifier, clean_id_number, mask_id_number
from jianli.paging import keyset_page
from jianli.presentation import data_rows
from jianli.registrations import calendar, clock, counts, rejection, roles, services, versions
from jianli.registrations.correction import correction_targets
from jianli.registrations.models import Application, Attachment, BusinessType, RejectionProposal, State
from jianli.registrations.spec import CORRECTION_NOTICE_DAYS, SPECS
from jianli.replica import replica_reads
from jianli.review import context, export, search, work

REVIEW_STATES = [State.AWAITING_REVIEW, State.IN_REVIEW, State.IN_CORRECTION, State.AWAITING_EMPLOYER,
                 State.APPROVED, State.REJECTED, State.WITHDRAWN]
OPEN_FOR_REVIEW = [State.AWAITING_REVIEW, State.IN_REVIEW, State.IN_CORRECTION]
PROBLEM_ROWS = 6

staff_required = signin.staff_required(work.may_use_console, "review:login", "review:password")
signed_in = signin.staff_required(work.may_use_console, "review:login")
# ?sort= of the queue: (column, newest first); each read in order from an index (app_open_queue, app_queue,
# app_open_deadline, app_deadline), so any page of any sort costs the same.
SORTS = {"submitted": ("submitted_at", False), "-submitted": ("submitted_at", True),
         "deadline": ("deadline", False), "-deadline": ("deadline", True)}


# ---------------------------------------------------------------- sign-in


def _username(values: dict[str, str]) -> tuple[str, dict[str, str]]:
    return values["username"], ({} if values["username"] else {"username": "请输入用户名"})


def login(request: HttpRequest) -> HttpResponse:
    return signin.sign_in(
        request, console="review", template="review/login.html", username_of=_username,
        may_use=work.may_use_console, home="review:queue", enrol="review:enrol",
    )


def enrol(request: HttpRequest) -> HttpResponse:
    return signin.enrol(request, console="review", template="review/enrol.html", home="review:queue",
                        login_url="review:login")


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    return signin.sign_out(request, "review:login")


@require_POST
def extend_session(request: HttpRequest) -> JsonResponse:
    """继续工作 in the warning before the session ends: any request renews the idle timeout."""
    if not (request.user.is_authenticated and work.may_use_console(request.user)):
        return JsonResponse({"signed_in": False}, status=401)
    request.session.modified = True
    return JsonResponse({"signed_in": True, "seconds_left": session.seconds_left(request)})


@signed_in
def password(request: HttpRequest) -> HttpResponse:
    return signin.change_password(request, template="review/password.html", home="review:queue")


# ---------------------------------------------------------------- queue


def _date(value: str) -> dt.date | None:
    return text.parse_date(value)


def _day_start(day: dt.date) -> dt.datetime:
    """Midnight (local time) as a bound on the column itself: `__date` would cast every row and skip the index."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def queue_counts() -> dict[str, int]:
    """Reported applications per state, from the counts the workflow keeps (no COUNT over millions of rows)."""
    return counts.by_state([s.value for s in REVIEW_STATES])


def queue_queryset(request: HttpRequest) -> QuerySet[Application]:
    """The queue's filters (state, type, employer, dates, due, mine, pending) from the query string."""
    g = request.GET
    today = timezone.localdate()
    qs = Application.objects.exclude(reported_at=None).select_related("applicant", "employer", "claimed_by")
    state = g.get("state", "")
    qs = qs.filter(state=state) if state in State.values else qs.filter(state__in=OPEN_FOR_REVIEW)
    kind = g.get("type", "")
    if kind in BusinessType.values:
        qs = qs.filter(business_type=kind)
    employer = g.get("employer", "").strip()
    if employer:
        qs = qs.filter(Q(employer__uscc=employer.upper()) | Q(employer__name__contains=employer))
    start, end = _date(g.get("from", "")), _date(g.get("to", ""))
    if start:
        qs = qs.filter(submitted_at__gte=_day_start(start))
    if end:
        qs = qs.filter(submitted_at__lt=_day_start(end + dt.timedelta(days=1)))
    due = g.get("due", "")
    if due == "overdue":
        qs = qs.filter(deadline__lt=today, paused_at=None)
    elif due == "soon":
        qs = qs.filter(deadline__gte=today, deadline__lte=calendar.add_working_days(today, 2), paused_at=None)
    if g.get("mine"):
        qs = qs.filter(claimed_by=_user(request))
    elif g.get("reviewer", "").isdigit():
        qs = qs.filter(claimed_by_id=int(g["reviewer"]))
    if g.get("pending"):
        qs = Application.objects.filter(rejection_proposals__outcome=RejectionProposal.Outcome.PENDING).select_related(
            "applicant", "employer", "claimed_by")
    return qs


def queue_total(request: HttpRequest) -> tuple[int | None, bool]:
    """(how many files the filter shows, whether exactly): from the workflow's counts by state and type, never
    a COUNT over the queue; the other filters narrow it by an amount the counts do not know."""
    g = request.GET
    if g.get("pending"):
        return RejectionProposal.objects.filter(outcome=RejectionProposal.Outcome.PENDING).count(), True
    state = g.get("state", "")
    states = [state] if state in State.values else [s.value for s in OPEN_FOR_REVIEW]
    kind = g.get("type", "") if g.get("type", "") in BusinessType.values else ""
    if g.get("mine") or g.get("reviewer", "").isdigit():
        return None, False  # the counts are per state and type, not per reviewer (the team page has the load)
    total = sum(counts.by_state(states, business_type=kind).values())
    narrowed = any(g.get(k) for k in ("employer", "from", "to", "due"))
    return total, not narrowed


@staff_required
@replica_reads
def queue(request: HttpRequest) -> HttpResponse:
    g = request.GET
    today = timezone.localdate()
    sort = g.get("sort", "") if g.get("sort", "") in SORTS else "submitted"
    key, newest_first = SORTS[sort]
    page = keyset_page(queue_queryset(request), g.get("after", ""), before=g.get("before", ""),
                       newest_first=newest_first, key=key)
    for app in page.rows:
        app.days_left = clock.days_left(app, today)  # type: ignore[attr-defined]
    totals = queue_counts()
    total, exact = queue_total(request)
    pending = RejectionProposal.objects.filter(outcome=RejectionProposal.Outcome.PENDING).count()
    filters = {k: g.get(k, "") for k in ("state", "type", "employer", "from", "to", "due", "mine", "reviewer",
                                         "pending")}
    query = urlencode({k: v for k, v in filters.items() if v})
    lead = work.is_team_lead(request.user)
    return render(request, "review/queue.html", {
        "page": page, "filters": filters, "query": query, "types": BusinessType.choices, "pending": pending,
        "states": [(s.value, s.label, totals.get(s.value, 0)) for s in REVIEW_STATES],
        "sort": sort, "sorted_query": urlencode({k: v for k, v in {**filters, "sort": sort}.items() if v}),
        "total": total, "exact": exact, "is_lead": lead, "reviewers": work.reviewers() if lead else [],
        "is_reviewer": roles.is_reviewer(request.user),
        "kinds": search.KINDS,
    })


@staff_required
def find(request: HttpRequest) -> HttpResponse:
    """Search by POST only: an ID number in a URL ends up in browser history and in every proxy's log."""
    if request.method != "POST":
        return render(request, "review/search.html", {"kinds": search.KINDS, "values": {}, "errors": {}})
    values = {"q": request.POST.get("q", "").strip(), "kind": request.POST.get("kind", "")}
    try:
        found = search.search(values["q"], values["kind"])
    except ServiceError as e:
        return render(request, "review/search.html",
                      {"kinds": search.KINDS, "values": values, "errors": e.fields, "message": e.message},
                      status=e.status)
    if found.kind == "number" and len(found.rows) == 1:
        return redirect("review:detail", number=found.rows[0].number)
    if found.kind != "number":
        events.personal_data_listed(request, [a.applicant_id for a in found.rows], f"search:{found.kind}")
    today = timezone.localdate()
    for app in found.rows:
        app.days_left = clock.days_left(app, today)  # type: ignore[attr-defined]
    shown = values["q"]
    if found.kind == "id_number":  # shown back masked, like every ID number on a page
        shown, values["q"] = mask_id_number(clean_id_number(values["q"])), ""
    return render(request, "review/search.html", {
        "kinds": search.KINDS, "values": values, "errors": {}, "found": found, "searched": True,
        "kind_label": dict(search.KINDS).get(found.kind, ""), "shown": shown,
    })


@staff_required
@require_POST
def claim_next(request: HttpRequest) -> HttpResponse:
    """领取下一件: the waiting file due first, opened at once."""
    try:
        app = work.claim_next(user=_user(request), request=request)
    except ServiceError as e:
        messages.error(request, e.message)
        return redirect("review:queue")
    if app is None:
        messages.info(request, "待审查队列中没有办件。")
        return redirect("review:queue")
    messages.success(request, f"已领取 {app.number}，请审查。")
    return redirect("review:detail", number=app.number)


@staff_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    """批量领取 / 批量释放 / 改派 (组长) of the files ticked on the queue."""
    numbers = [n for n in request.POST.getlist("numbers") if n][:100]
    action = request.POST.get("action", "")
    if not numbers:
        messages.error(request, "请先勾选办件。")
    else:
        user = _user(request)
        try:
            if action == "claim":
                outcome = work.claim_many(numbers=numbers, user=user, request=request)
                done = "已领取"
            elif action == "release":
                outcome = work.release_many(numbers=numbers, user=user, request=request)
                done = "已释放"
            elif action == "reassign":
                to_id = request.POST.get("to", "")
                to = User.objects.filter(pk=int(to_id)).first() if to_id.isdigit() else None
                outcome = work.reassign_many(numbers=numbers, lead=user, to=to, request=request)
                done = "已改派"
            else:
                raise ServiceError("invalid", "请选择操作。")
        except ServiceError as e:
            messages.error(request, e.message)
        else:
            if outcome.done:
                messages.success(request, f"{done} {len(outcome.done)} 件。")
            for number, why in outcome.refused:
                messages.error(request, f"{number}：{why}")
    back = QueryDict(request.POST.get("back", "")).urlencode()  # the queue's filters, re-encoded
    return redirect(f"{reverse('review:queue')}?{back}")


@staff_required
@replica_reads
def team(request: HttpRequest) -> HttpResponse:
    """组长: each reviewer's load, and a link to the files each one holds."""
    if not work.is_team_lead(request.user):
        raise PermissionDenied("仅组长可查看")
    waiting = counts.by_state([State.AWAITING_REVIEW.value]).get(State.AWAITING_REVIEW.value, 0)
    return render(request, "review/team.html", {"loads": work.reviewer_load(), "waiting": waiting})


# ---------------------------------------------------------------- one application


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
    proposal = rejection.pending_rejection(app)
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
    events.personal_data_viewed(request, app.applicant_id, f"attachment:{att.slot}", app.pk)
    response = HttpResponse(att.read(), content_type=att.content_type)
    response["Content-Disposition"] = f'inline; filename="attachment-{att.pk}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _act(request: HttpRequest, number: str, call: Any, done: str, **kwargs: Any) -> HttpResponse:
    app = _application(number)
    try:
        call(application_id=app.pk, user=_user(request), request=request, **kwargs)
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
    words = SPECS[_application(number).business_type].approved_words  # type: ignore[index]
    return _act(request, number, services.application_approve, f"已{words}。", comment=request.POST.get("comment", ""))


@staff_required
@require_POST
def reject(request: HttpRequest, number: str) -> HttpResponse:
    app = _application(number)
    values = {"reason": request.POST.get("reason", ""), "reject_comment": request.POST.get("comment", "")}
    try:
        services.application_rejection_propose(application_id=app.pk, user=_user(request), reason=values["reason"],
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
    """复核: agree with a proposed 不予注册 (the decision is made) or send it back to the reviewer."""
    app = _application(number)
    note = request.POST.get("note", "")
    try:
        if request.POST.get("decision") == "agree":
            services.application_rejection_confirm(application_id=app.pk, user=_user(request), note=note, request=request)
            messages.success(request, "已同意，作出不予注册决定。")
        else:
            services.application_rejection_decline(application_id=app.pk, user=_user(request), note=note, request=request)
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
            application_id=app.pk, user=_user(request), request=request,
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


# ---------------------------------------------------------------- audit search


@staff_required
def audit(request: HttpRequest) -> HttpResponse:
    # By POST only: an ID number in a URL ends up in browser history and in every proxy's and server's log.
    g = request.POST if request.method == "POST" else QueryDict()
    values = {k: g.get(k, "").strip() for k in ("number", "id_number", "from", "to")}
    errors: dict[str, str] = {}
    qs = AuditEvent.objects.all()
    searched = any(values.values())
    if values["number"]:
        app = Application.objects.filter(number=values["number"].upper()).first()
        qs = qs.filter(application_id=app.pk if app else -1)
    if values["id_number"]:
        try:
            person = Applicant.objects.filter(id_hash=pii.lookup_hash(clean_id_number(values["id_number"]))).first()
        except InvalidIdentifier as e:
            errors["id_number"] = e.message
            person = None
        qs = qs.filter(applicant_id=person.pk if person else -1)
        if person is not None:
            events.personal_data_viewed(request, person.pk, "audit_search")
    start, end = _date(values["from"]), _date(values["to"])
    if start:
        qs = qs.filter(created_at__gte=_day_start(start))
    if end:
        qs = qs.filter(created_at__lt=_day_start(end + dt.timedelta(days=1)))
    rows = list(qs.order_by("-created_at", "-id")[:200]) if searched and not errors else []
    return render(request, "review/audit.html", {"values": values, "errors": errors, "rows": rows, "searched": searched})


# ---------------------------------------------------------------- Excel export


def _xlsx(request: HttpRequest, what: str, title: str, header: list[str], rows: Any) -> FileResponse:
    events.data_exported(request, what=what, query=request.GET.urlencode()[:500])
    response = FileResponse(export.write_xlsx(title, header, rows),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = quote(f"{title}-{timezone.localdate():%Y%m%d}.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
@replica_reads
def export_queue(request: HttpRequest) -> FileResponse:
    """The queue as filtered on the page, every row (not just one page)."""
    return _xlsx(request, "queue", "审查队列", export.QUEUE_HEADER, export.queue_rows(queue_queryset(request)))


@staff_required
@replica_reads
def export_register(request: HttpRequest) -> FileResponse:
    return _xlsx(request, "register", "注册人员", export.REGISTER_HEADER, export.register_rows())
