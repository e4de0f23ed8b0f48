"""What the applicant's operations answer: the form's fields, a draft, an application (its list entry and its
detail with the timeline), and attachments. The integrations' cases reuse the attachment list."""

from __future__ import annotations

import base64
from typing import Any

from django.http import HttpResponse
from ninja.renderers import JSONRenderer

from jianli.accounts import fixed_reads
from jianli.errors import ServiceError
from jianli.registrations import progress, submission
from jianli.registrations.models import Application, ApplicationEvent, Attachment, BusinessType, State
from jianli.registrations.spec import SPECS, Field, Rows

# An application's detail reads these on every view: statements written once (fixed_reads).
TIMELINE_EVENTS = fixed_reads.Select(
    ApplicationEvent, where=("application",),
    fields=("application", "action", "from_state", "to_state", "created_at", "comment", "problems"),
)


RENDERER = JSONRenderer()  # the API's renderer (api.py sets no other)


def read_answer(body: dict[str, Any]) -> HttpResponse:
    """A 200 answer that our code built field by field in its operation's response schema, rendered as django-ninja
    renders one but without validating it again (for a detail 0.18 ms against 0.04 ms; more for a page of cases).
    test_read_answers holds each such answer to its schema."""
    content = RENDERER.render(None, body, response_status=200)  # type: ignore[arg-type]  # it reads no request
    return HttpResponse(content, content_type=f"{RENDERER.media_type}; charset={RENDERER.charset}")


def field_out(f: Field | Rows) -> dict[str, Any]:
    if isinstance(f, Rows):
        return {
            "name": f.name,
            "label": f.label,
            "kind": "rows",
            "required": f.min_rows > 0,
            "options": [],
            "max_choices": 0,
            "hint": "",
            "section": f.section,
            "columns": [field_out(c) for c in f.columns],
        }
    return {
        "name": f.name,
        "label": f.label,
        "kind": f.kind,
        "required": f.required,
        "options": [list(o) for o in f.options()],
        "max_choices": f.max_choices,
        "hint": f.hint,
        "section": f.section,
        "columns": [],
    }


def attachments_out(application: Application, current: list[Attachment] | None = None) -> list[dict[str, Any]]:
    labels = SPECS[BusinessType(application.business_type)].labels()
    return [
        {
            "slot": a.slot,
            "label": labels.get(a.slot, a.slot),
            "name": a.original_name,
            "content_type": a.content_type,
            "size": a.size,
            "uploaded_at": a.uploaded_at,
        }
        for a in (submission.CURRENT_ATTACHMENTS.rows(application, True) if current is None else current)
    ]


def draft_out(draft: Application) -> dict[str, Any]:
    spec = SPECS[BusinessType(draft.business_type)]
    reason = progress.reason_of(draft, list(draft.events.all())) if draft.state == State.RETURNED else None
    current = submission.CURRENT_ATTACHMENTS.rows(draft, True)
    return {
        "id": draft.pk,
        "business_type": draft.business_type,
        "state": draft.state,
        "number": draft.number,
        "return_reason": reason.text if reason else "",
        "step": draft.step,
        "data": draft.data,
        "errors": submission.validate(spec, draft.data),
        "attachments": attachments_out(draft, current),
        "missing_attachments": submission.missing_attachments(draft, {a.slot: a for a in current}),
        "applicable": [i.name for i in spec.items if i.when(draft.data)]
        + [s.name for s in submission.applicable_slots(spec, draft.data)],
        "expires_at": draft.expires_at,
    }


def application_out(a: Application) -> dict[str, Any]:
    return {
        "id": a.pk,
        "number": a.number,
        "business_type": a.business_type,
        "business_type_label": BusinessType(a.business_type).label,
        "state": a.state,
        "state_label": State(a.state).label,
        "employer_name": a.employer.name if a.employer else None,
        "submitted_at": a.submitted_at,
        "deadline": a.deadline,
        "may_withdraw": progress.may_withdraw(a),
    }


def timeline_out(events: list[Any]) -> list[dict[str, Any]]:
    """The steps 提交申请 → 企业上报 → 部级审核 → 已完成 with their node (未进行/正在进行/未通过/已完成)."""
    return [
        {"key": s.key, "label": s.label, "node": s.node.value, "node_label": s.node.label, "day": s.day,
         "note": s.note}
        for s in progress.timeline(events)
    ]


def application_detail(a: Application) -> dict[str, Any]:
    events = TIMELINE_EVENTS.rows(a.pk)
    reason = progress.reason_of(a, events)
    return {
        **application_out(a),
        "next_step": progress.next_step(a),
        "timeline": timeline_out(events),
        "reason": {"title": reason.title, "text": reason.text, "items": reason.items} if reason else None,
        "data": a.data,
        "attachments": attachments_out(a),
    }


def attachment_content(application: Application, slot: str) -> dict[str, Any]:
    attachment = application.attachments.filter(slot=slot, is_current=True).first()
    if attachment is None:
        raise ServiceError("not_found", "未找到该材料。", status=404)
    return {
        **attachment_out(application, attachment),
        "sha256": attachment.sha256,
        "content": base64.b64encode(attachment.read()).decode(),
    }


def attachment_out(application: Application, a: Attachment) -> dict[str, Any]:
    labels = SPECS[BusinessType(application.business_type)].labels()
    return {
        "slot": a.slot,
        "label": labels.get(a.slot, a.slot),
        "name": a.original_name,
        "content_type": a.content_type,
        "size": a.size,
        "uploaded_at": a.uploaded_at,
    }
