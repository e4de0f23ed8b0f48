"""How an application's data reads on the consoles' pages (the employer's and the ministry's alike)."""

from __future__ import annotations

import html
from typing import Any

from django.http import HttpRequest, HttpResponse

from jianli.audit import events
from jianli.registrations import correction
from jianli.registrations.models import Application, Attachment, BusinessType, State

# The labels of states and business types as HTML, escaped once: the consoles' list rows are written out in Python.
_STATE_HTML = {k: html.escape(str(v)) for k, v in State.choices}
_TYPE_HTML = {k: html.escape(str(v)) for k, v in BusinessType.choices}


def state_html(state: str) -> str:
    return _STATE_HTML.get(state) or html.escape(state)


def business_type_html(kind: str) -> str:
    return _TYPE_HTML.get(kind) or html.escape(kind)


def display(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return "；".join("，".join(str(v) for v in row.values() if v not in (None, "")) for row in value)
        return "、".join(str(v) for v in value)
    if isinstance(value, dict):
        return "，".join(f"{k}：{v}" for k, v in value.items())
    return str(value)


def data_rows(app: Application, *, employment_only: bool = False) -> list[tuple[str, str, str]]:
    """(name, label, shown value) of the application's data in the order of its business type's form."""
    labels = {name: label for kind, name, label in correction.correction_targets(app) if kind in ("field", "rows")}
    names = [n for n in labels if n in app.data] + [n for n in app.data if n not in labels]
    if employment_only:
        names = [n for n in names if n in correction.EMPLOYER_FACTS]
    return [(str(n), str(labels.get(n, n)), display(app.data.get(n))) for n in names]


def attachment_response(request: HttpRequest, application: Application, attachment: Attachment) -> HttpResponse:
    """A staff member opens one attached file: audited, shown inline, never cached or sniffed."""
    events.personal_data_viewed(request, application.applicant_id, f"attachment:{attachment.slot}", application.pk)
    response = HttpResponse(attachment.read(), content_type=attachment.content_type)
    response["Content-Disposition"] = f'inline; filename="attachment-{attachment.pk}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
