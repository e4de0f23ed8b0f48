"""进度查询 (图10–12) and 撤回业务."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from jianli.accounts import fixed_reads
from jianli.audit import events
from jianli.errors import ServiceError
from jianli.http import JianliRequest
from jianli.identifiers import mask_mobile
from jianli.notifications.models import Message
from jianli.portal.views import redirect_with_next
from jianli.registrations import progress, roles, services
from jianli.registrations.models import Application, ApplicationEvent, BusinessType, State
from jianli.replica import replica_reads

View = Callable[..., HttpResponse]


def signed_in_or_reviewer(view: View) -> View:
    """The face-verified applicant, or a reviewer (审查/复核); nobody else may query."""

    @wraps(view)
    def wrapper(request: JianliRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.applicant is None and not roles.is_review_staff(request.user):
            if request.profile is None:
                return redirect_with_next("portal:welcome", request)
            return redirect_with_next("portal:check", request)
        return view(request, *args, **kwargs)

    return wrapper


@signed_in_or_reviewer
@replica_reads
def query(request: JianliRequest) -> HttpResponse:
    """The form of 图10/图11: 姓名, 证件号码, 业务类型, 查询."""
    applicant = request.applicant
    values = {
        "name": applicant.name if applicant else "",
        "id_number": applicant.id_number if applicant else "",
        "business_type": request.GET.get("type") or BusinessType.INITIAL,
    }
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in ("name", "id_number", "business_type")}
        try:
            found = progress.progress_lookup(
                request=request,
                name=values["name"],
                id_number=values["id_number"],
                business_type=values["business_type"],
            )
        except ServiceError as e:
            errors = e.fields
            status = e.status
            if not errors:
                messages.error(request, e.message)
        else:
            if found:
                return redirect("portal:progress_detail", found[0].pk)
            return render(
                request,
                "portal/progress_none.html",
                {"business_type": BusinessType(values["business_type"]).label},
            )
    return render(
        request,
        "portal/progress_query.html",
        {"values": values, "errors": errors, "types": BusinessType.choices},
        status=status,
    )


# What the progress page shows of an application: not its 申报信息 (data), the largest column of the row.
PAGE_COLUMNS = (
    "id", "number", "applicant_id", "business_type", "employer__name", "state", "submitted_at", "deadline",
    "paused_at", "claimed_by_id", "correction_items", "decision_reason", "decision_comment",
)
# An applicant's own applications (a person has a handful), drafts among them, newest first: one statement.
APPLICATIONS_OF = fixed_reads.Select(
    Application, where=("applicant",), fields=(*(c for c in PAGE_COLUMNS if c != "employer__name"), "employer"),
    related="employer", related_fields=("name",), order=("-submitted_at", "-id"),
)


def _own_or_reviewer(request: JianliRequest, pk: int, columns: tuple[str, ...] = ()) -> Application:
    found = Application.objects.exclude(state=State.DRAFT).filter(pk=pk)
    found = found.select_related("employer").only(*columns) if columns else found.select_related("employer")
    application = found.first()
    applicant = request.applicant
    if application is None:
        raise Http404()
    if applicant is not None and application.applicant_id == applicant.pk:
        return application
    if applicant is None and roles.is_review_staff(request.user):
        events.personal_data_viewed(request, application.applicant_id, "progress", application.pk)
        return application
    raise Http404()


def _with_earlier(request: JianliRequest, pk: int) -> tuple[Application, list[Application]]:
    """The application and the earlier ones of its type, newest first. Its applicant's own are read in one query
    (a person has a handful); a reviewer's look is audited and reads the two apart."""
    applicant = request.applicant
    if applicant is None:
        application = _own_or_reviewer(request, pk, PAGE_COLUMNS)
        earlier = (
            Application.objects.filter(applicant_id=application.applicant_id, business_type=application.business_type)
            .exclude(state=State.DRAFT).exclude(pk=application.pk)
            .order_by("-submitted_at", "-id").only("id", "number", "submitted_at", "state")
        )
        return application, list(earlier)
    mine = [a for a in APPLICATIONS_OF.rows(applicant.pk) if a.state != State.DRAFT]
    found = next((a for a in mine if a.pk == pk), None)
    if found is None:
        raise Http404()
    return found, [a for a in mine if a.business_type == found.business_type and a.pk != pk]


@signed_in_or_reviewer
@replica_reads
def detail(request: JianliRequest, pk: int) -> HttpResponse:
    """The progress page (图12): the application with the earlier applications of its type, its events, its
    messages, one narrow query each."""
    application, earlier_rows = _with_earlier(request, pk)
    timeline_events = fixed_reads.rows_where(ApplicationEvent, "application", application.pk)
    labels = dict(Message.Status.choices)
    sent = [
        {"at": m.created_at, "mobile": mask_mobile(m.mobile), "text": m.text, "status": labels.get(m.status, "")}
        for m in fixed_reads.rows_where(Message, "application", application.pk)
    ]
    states = dict(State.choices)
    earlier = [
        {"pk": a.pk, "number": a.number, "submitted_at": a.submitted_at, "state": states.get(a.state, "")}
        for a in earlier_rows
    ]
    context = {
        "application": application,
        "title": "监理工程师执业资格认定",
        "steps": progress.timeline(timeline_events),
        "legend": progress.Node.choices,
        "next_step": progress.next_step(application),
        "reason": progress.reason_of(application, timeline_events),
        "sent": sent,
        "earlier": earlier,
        "may_withdraw": request.applicant is not None and progress.may_withdraw(application),
        "show_deadline": application.deadline is not None and application.is_open and application.paused_at is None,
    }
    return render(request, "portal/progress_detail.html", context)


@signed_in_or_reviewer
def withdraw(request: JianliRequest, pk: int) -> HttpResponse:
    """撤回业务: a confirmation page, then the transition (only the applicant, only before review)."""
    application = _own_or_reviewer(request, pk)
    applicant = request.applicant
    if applicant is None:
        raise Http404()
    if request.method == "POST":
        try:
            services.application_withdraw(
                application=application,
                applicant=applicant,
                expected_state=request.POST.get("expected_state", ""),
                request=request,
            )
        except ServiceError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, "已撤回。申请记录已保留，您可以随时重新申请。")
        return redirect("portal:progress_detail", application.pk)
    if not progress.may_withdraw(application):
        messages.error(request, "当前状态不能撤回。")
        return redirect("portal:progress_detail", application.pk)
    return render(request, "portal/progress_withdraw.html", {"application": application})
