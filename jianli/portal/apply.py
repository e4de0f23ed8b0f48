"""The application wizard (图8): 1 申报须知 → 2 申报信息 → 3 申报告知, then the receipt."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianli.dates import table_date
from jianli.errors import ServiceError
from jianli.http import JianliRequest, signed_in_applicant
from jianli.portal.views import applicant_required, business_type_or_404, profile_required
from jianli.registrations import services, submission
from jianli.registrations.catalogue import ENTRIES, REFUSAL_CONDITIONS
from jianli.registrations.models import Application, Attachment, BusinessType, State
from jianli.registrations.rules import Refusal, contact, eligibility, qualification_refusal
from jianli.registrations.spec import CORRECTION_NOTICE_DAYS, SPECS, Field, Rows
from jianli.registrations.uploads import limits_text

# Fields whose value decides which other fields apply: changing them re-renders the form.
CONTROLLING = {"change_items", "replacement_reason", "qualification_date", "title"}


def _next_link(refusal: Refusal) -> tuple[str, str] | None:
    """Where the refusal's next step is done, and the button's words."""
    if refusal.apply_for:
        return reverse("portal:item", args=[refusal.apply_for]), f"办理{BusinessType(refusal.apply_for).label}"
    if refusal.open_application is not None:
        return reverse("portal:progress_detail", args=[refusal.open_application]), "查看办理进度"
    return None


def _draft_or_redirect(request: JianliRequest, kind: BusinessType) -> Application | HttpResponse:
    draft = submission.draft_get(applicant=signed_in_applicant(request), business_type=kind)
    return submission.roster_sync(draft) if draft is not None else redirect("portal:apply", kind.value)


def _wizard_context(kind: BusinessType, step: int) -> dict[str, Any]:
    return {"entry": ENTRIES[kind], "kind": kind, "step": step, "steps": ["申报须知", "申报信息", "申报告知"]}


@profile_required
@applicant_required
def notice(request: JianliRequest, business_type: str) -> HttpResponse:
    """申报须知: first what the service can check itself, then the six conditions to confirm."""
    kind = business_type_or_404(business_type)
    applicant = signed_in_applicant(request)
    draft = submission.draft_get(applicant=applicant, business_type=kind)
    refusal = eligibility(applicant=applicant, business_type=kind, today=timezone.localdate())
    if refusal is not None and draft is None:
        return render(
            request,
            "portal/apply_refused.html",
            {**_wizard_context(kind, 1), "refusal": refusal, "next_link": _next_link(refusal)},
        )
    if request.method == "GET" and draft is not None and draft.step >= 2 and "review" not in request.GET:
        return redirect("portal:apply_summary" if draft.step >= 3 else "portal:apply_info", kind.value)
    errors: dict[str, str] = {}
    confirmed = set(request.POST.getlist("condition"))
    if request.method == "POST":
        if request.POST.get("all") == "on" or confirmed == {str(i) for i in range(len(REFUSAL_CONDITIONS))}:
            submission.draft_get_or_create(applicant=applicant, business_type=kind)
            return redirect("portal:apply_info", kind.value)
        errors = {"condition_0": "请逐条确认以上情形，全部确认后才能继续"}
    return render(
        request,
        "portal/apply_notice.html",
        {**_wizard_context(kind, 1), "conditions": REFUSAL_CONDITIONS, "confirmed": confirmed, "errors": errors},
        status=422 if errors else 200,
    )


def _roster_contact() -> str:
    return contact()


def _roster_missing() -> str:
    refusal = qualification_refusal()
    return refusal.message + refusal.next_step


def _form_items(
    kind: BusinessType, data: dict[str, Any], errors: dict[str, str], extra_rows: dict[str, int]
) -> list[dict[str, Any]]:
    sections: list[dict[str, Any]] = []
    roster_last = next(iter(submission.roster_fields(SPECS[kind])[-1:]), None)  # the roster hint said once
    for item in SPECS[kind].items:
        if not item.when(data):
            continue
        if not sections or sections[-1]["title"] != item.section:
            sections.append({"title": item.section, "items": []})
        if isinstance(item, Rows):
            rows = list(data.get(item.name) or [])
            rows += [{}] * max(extra_rows.get(item.name, 0), item.min_rows - len(rows), 0)
            rendered = [
                {
                    "index": i,
                    "cells": [
                        {"field": c, "name": f"{item.name}-{i}-{c.name}", "value": row.get(c.name, ""),
                         "error": errors.get(f"{item.name}-{i}-{c.name}")}
                        for c in item.columns
                    ],
                }
                for i, row in enumerate(rows)
            ]
            sections[-1]["items"].append({"rows": item, "rendered": rendered, "count": len(rows)})
        else:
            value = data.get(item.name, [] if item.kind == "multi" else "")
            error = errors.get(item.name)
            if item.from_roster and not value and item.name == "qualification_number":
                error = error or _roster_missing()
            sections[-1]["items"].append(
                {"field": item, "value": value, "error": error,
                 "roster_hint": item.name == roster_last and _roster_contact(),
                 "controls": item.name in CONTROLLING, "options": item.options()}
            )
    for section in sections:
        only = section["items"][0]
        label = only["rows"].label if "rows" in only else only["field"].label
        section["show_title"] = not (len(section["items"]) == 1 and label == section["title"])
    return sections


@profile_required
@applicant_required
def info(request: JianliRequest, business_type: str) -> HttpResponse:
    """申报信息: the fields and attachments of this business type; every post saves the draft first."""
    kind = business_type_or_404(business_type)
    draft = _draft_or_redirect(request, kind)
    if isinstance(draft, HttpResponse):
        return draft
    spec = SPECS[kind]
    errors: dict[str, str] = {}
    extra_rows: dict[str, int] = {}
    status = 200
    back_to_summary = request.GET.get("return") == "summary" or request.POST.get("return") == "summary"
    if request.method == "POST":
        data = submission.data_from_form(spec, request.POST, draft.data)
        submission.draft_save(application=draft, data=data)
        for slot in submission.applicable_slots(spec, data):
            upload = request.FILES.get(f"file-{slot.name}")
            if upload is None:
                continue
            try:
                submission.attachment_upload(
                    application=draft, slot=slot.name, filename=upload.name or "", content=upload.read()
                )
            except ServiceError as e:
                errors.update(e.fields)
        action = request.POST.get("action", "next")
        if action == "autosave":
            return JsonResponse({"saved_at": timezone.localtime().strftime("%H:%M"), "errors": errors})
        if action.startswith("add_row:"):
            name = action.split(":", 1)[1]
            extra_rows[name] = 1
        elif action == "next" and not errors:
            errors = {**submission.validate(spec, data), **submission.missing_attachments(draft)}
            if not errors:
                submission.draft_save(application=draft, data=data, step=3)
                return redirect("portal:apply_summary", kind.value)
        if errors:
            status = 422
    attachments = submission.current_attachments(draft)
    slots = [
        {"slot": s, "attachment": attachments.get(s.name), "error": errors.get(s.name)}
        for s in submission.applicable_slots(spec, draft.data)
    ]
    return render(
        request,
        "portal/apply_info.html",
        {
            **_wizard_context(kind, 2),
            "draft": draft,
            "sections": _form_items(kind, draft.data, errors, extra_rows),
            "slots": slots,
            "errors": errors,
            "limits": limits_text(),
            "registration": draft.registration,
            "back_to_summary": back_to_summary,
            "returned": _return_reason(draft),
        },
        status=status,
    )


def _return_reason(application: Application) -> str | None:
    """The employer's reason, while the applicant edits an application it returned."""
    if application.state != State.RETURNED:
        return None
    event = application.events.filter(action="return").order_by("-created_at", "-id").first()
    return event.comment if event and event.comment else "聘用单位未说明原因"


def _shown(field: Field, value: Any) -> str:
    """A typed value as the applicant reads it back: dates as 2024/10/20, like every list of facts."""
    if not value:
        return "未填写"
    if field.kind == "date":
        try:
            return table_date(dt.date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    return str(value)


def _answers(application: Application) -> list[dict[str, Any]]:
    """The check-answers rows: every applicable field with its value as the applicant will read it."""
    kind = BusinessType(application.business_type)
    rows: list[dict[str, Any]] = []
    data = application.data
    for item in SPECS[kind].items:
        if not item.when(data):
            continue
        value: str | list[str]
        if isinstance(item, Rows):
            value = [
                "；".join(f"{c.label}：{_shown(c, row.get(c.name))}" for c in item.columns)
                for row in data.get(item.name) or []
            ]
        elif isinstance(item, Field) and item.kind == "multi":
            labels = dict(item.options())
            value = "、".join(labels.get(v, v) for v in data.get(item.name) or []) or "未填写"
        elif isinstance(item, Field) and item.kind == "employer":
            employer, _ = submission.resolve_employer(str(data.get(item.name) or ""))
            value = f"{employer.name}（{employer.uscc}）" if employer else (data.get(item.name) or "未填写")
        else:
            value = _shown(item, data.get(item.name))
        rows.append({"name": item.name, "label": item.label, "value": value, "many": isinstance(value, list)})
    return rows


@profile_required
@applicant_required
def summary(request: JianliRequest, business_type: str) -> HttpResponse:
    """申报告知: check answers, the commitment (告知承诺), what happens next, and 提交申请."""
    kind = business_type_or_404(business_type)
    draft = _draft_or_redirect(request, kind)
    if isinstance(draft, HttpResponse):
        return draft
    errors: dict[str, str] = {}
    message = ""
    if request.method == "POST":
        if request.POST.get("commitment") != "on":
            errors = {"commitment": "请阅读告知承诺并勾选“本人承诺”后提交"}
        else:
            try:
                submit = (services.application_resubmit if draft.state == State.RETURNED
                          else services.application_submit)
                application = submit(
                    application=draft, applicant=signed_in_applicant(request), request=request
                )
            except ServiceError as e:
                errors, message = e.fields, e.message
            else:
                return redirect("portal:apply_receipt", application.pk)
    spec = SPECS[kind]
    attachments = submission.current_attachments(draft)
    return render(
        request,
        "portal/apply_summary.html",
        {
            **_wizard_context(kind, 3),
            "draft": draft,
            "answers": _answers(draft),
            "attachments": [
                {"slot": s, "attachment": attachments.get(s.name)} for s in submission.applicable_slots(spec, draft.data)
            ],
            "errors": errors,
            "error_message": message,
            "days": SPECS[kind].decision_days,
            "notice_days": CORRECTION_NOTICE_DAYS,
            "returned": _return_reason(draft),
        },
        status=422 if errors or message else 200,
    )


@profile_required
@applicant_required
def receipt(request: JianliRequest, application_id: int) -> HttpResponse:
    application = get_object_or_404(
        Application.objects.select_related("employer").exclude(state=State.DRAFT),
        pk=application_id,
        applicant=request.applicant,
    )
    kind = BusinessType(application.business_type)
    return render(
        request,
        "portal/apply_receipt.html",
        {"application": application, "entry": ENTRIES[kind], "days": SPECS[kind].decision_days},
    )


@profile_required
@applicant_required
def attachment(request: JianliRequest, attachment_id: int) -> HttpResponse:
    """An applicant's own uploaded file; staff read attachments through their consoles (audited there)."""
    item = get_object_or_404(
        Attachment.objects.select_related("application"),
        pk=attachment_id,
        application__applicant=request.applicant,
    )
    response = HttpResponse(item.read(), content_type=item.content_type)
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(item.original_name)}"
    response["Cache-Control"] = "private, no-store"
    return response


@profile_required
@applicant_required
@require_POST
def autosave(request: JianliRequest, business_type: str) -> HttpResponse:
    kind = business_type_or_404(business_type)
    draft = submission.draft_get(applicant=signed_in_applicant(request), business_type=kind)
    if draft is None:
        return JsonResponse({"error": "没有草稿"}, status=404)
    submission.draft_save(application=draft, data=submission.data_from_form(SPECS[kind], request.POST, draft.data))
    return JsonResponse({"saved_at": timezone.localtime().strftime("%H:%M")})
