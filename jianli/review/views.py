"""The ministry console (部级审核): sign-in, the queue, search, 领取下一件, bulk actions and the team's load.
One application's file and its decisions are in case.py; the audit search and the exports in records.py."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from jianli import staff_signin as signin
from jianli.accounts import session
from jianli.audit import events
from jianli.errors import ServiceError
from jianli.identifiers import clean_id_number, mask_id_number
from jianli.paging import keyset_page
from jianli.registrations import calendar, clock, counts, roles
from jianli.registrations.models import Application, BusinessType, RejectionProposal, State
from jianli.replica import replica_reads
from jianli.review import search, work
from jianli.review.access import day_start, parse_day, reviewer, signed_in, staff_required

REVIEW_STATES = [State.AWAITING_REVIEW, State.IN_REVIEW, State.IN_CORRECTION, State.AWAITING_EMPLOYER,
                 State.APPROVED, State.REJECTED, State.WITHDRAWN]
OPEN_FOR_REVIEW = [State.AWAITING_REVIEW, State.IN_REVIEW, State.IN_CORRECTION]
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


def queue_counts() -> dict[tuple[str, str], int]:
    """Reported applications per state and type, from the counts the workflow keeps (no COUNT over millions of
    rows)."""
    return counts.by_state_and_type([s.value for s in REVIEW_STATES])


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
    start, end = parse_day(g.get("from", "")), parse_day(g.get("to", ""))
    if start:
        qs = qs.filter(submitted_at__gte=day_start(start))
    if end:
        qs = qs.filter(submitted_at__lt=day_start(end + dt.timedelta(days=1)))
    due = g.get("due", "")
    if due == "overdue":
        qs = qs.filter(deadline__lt=today, paused_at=None)
    elif due == "soon":
        qs = qs.filter(deadline__gte=today, deadline__lte=calendar.add_working_days(today, 2), paused_at=None)
    if g.get("mine"):
        qs = qs.filter(claimed_by=reviewer(request))
    elif g.get("reviewer", "").isdigit():
        qs = qs.filter(claimed_by_id=int(g["reviewer"]))
    if g.get("pending"):
        qs = Application.objects.filter(rejection_proposals__outcome=RejectionProposal.Outcome.PENDING).select_related(
            "applicant", "employer", "claimed_by")
    return qs


def queue_total(request: HttpRequest, totals: dict[tuple[str, str], int]) -> tuple[int | None, bool]:
    """(how many files the filter shows, whether exactly): from the workflow's counts by state and type
    (queue_counts), never a COUNT over the queue; the other filters narrow it by an amount the counts do not
    know."""
    g = request.GET
    if g.get("pending"):
        return RejectionProposal.objects.filter(outcome=RejectionProposal.Outcome.PENDING).count(), True
    state = g.get("state", "")
    states = [state] if state in State.values else [s.value for s in OPEN_FOR_REVIEW]
    kind = g.get("type", "") if g.get("type", "") in BusinessType.values else ""
    if g.get("mine") or g.get("reviewer", "").isdigit():
        return None, False  # the counts are per state and type, not per reviewer (the team page has the load)
    if not set(states) <= {s.value for s in REVIEW_STATES}:
        totals = counts.by_state_and_type(states)
    total = sum(n for (state, k), n in totals.items() if state in states and kind in ("", k))
    narrowed = any(g.get(k) for k in ("employer", "from", "to", "due"))
    return total, not narrowed


@staff_required
@replica_reads
def queue(request: HttpRequest) -> HttpResponse:
    g = request.GET
    today = timezone.localdate()
    sort = g.get("sort", "") if g.get("sort", "") in SORTS else "submitted"
    key, newest_first = SORTS[sort]
    page = keyset_page(queue_queryset(request).only(*search.ROW_COLUMNS), g.get("after", ""), before=g.get("before", ""),
                       newest_first=newest_first, key=key)
    for app in page.rows:
        app.days_left = clock.days_left(app, today)  # type: ignore[attr-defined]
    totals = queue_counts()
    total, exact = queue_total(request, totals)
    per_state: dict[str, int] = {}
    for (state, _), n in totals.items():
        per_state[state] = per_state.get(state, 0) + n
    pending = RejectionProposal.objects.filter(outcome=RejectionProposal.Outcome.PENDING).count()
    filters = {k: g.get(k, "") for k in ("state", "type", "employer", "from", "to", "due", "mine", "reviewer",
                                         "pending")}
    query = urlencode({k: v for k, v in filters.items() if v})
    lead = work.is_team_lead(request.user)
    return render(request, "review/queue.html", {
        "page": page, "filters": filters, "query": query, "types": BusinessType.choices, "pending": pending,
        "states": [(s.value, s.label, per_state.get(s.value, 0)) for s in REVIEW_STATES],
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
        app = work.claim_next(user=reviewer(request), request=request)
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
        user = reviewer(request)
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
