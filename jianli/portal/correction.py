"""补正: the applicant sees the one complete list of problems and changes only those fields, repeatable groups
(工作经历, 工程业绩: the whole group is editable) and files."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from jianli.errors import ServiceError
from jianli.http import JianliRequest, signed_in_applicant
from jianli.portal.views import applicant_required
from jianli.registrations import correction, services
from jianli.registrations.models import Application, BusinessType, State
from jianli.registrations.spec import SPECS, Field, Rows
from jianli.registrations.submission import MAX_ROWS, data_from_form
from jianli.registrations.uploads import limits_text


def _application(request: JianliRequest, pk: int) -> Application:
    app = Application.objects.select_related("employer").filter(
        pk=pk, applicant=signed_in_applicant(request), state=State.IN_CORRECTION
    ).first()
    if app is None:
        raise Http404("未找到需要补正的办件")
    return app


def _posted_count(request: JianliRequest, name: str) -> int:
    try:
        return max(0, min(int(request.POST.get(f"{name}-count", "0")), MAX_ROWS))
    except ValueError:
        return 0


def _rows_item(group: Rows, rows: list[dict[str, Any]], cards: int, errors: dict[str, str]) -> dict[str, Any]:
    """The group's rows as the wizard renders them, then empty cards up to `cards` (at least one)."""
    rows = list(rows) + [{}] * max(min(max(cards, len(rows) + 1), MAX_ROWS) - len(rows), 0)
    rendered = [
        {"cells": [
            {"field": c, "name": f"{group.name}-{i}-{c.name}", "value": row.get(c.name, ""),
             "error": errors.get(f"{group.name}-{i}-{c.name}")}
            for c in group.columns
        ]}
        for i, row in enumerate(rows)
    ]
    return {"rows": group, "rendered": rendered, "count": len(rows)}


@applicant_required
def page(request: JianliRequest, pk: int) -> HttpResponse:
    app = _application(request, pk)
    spec = SPECS[BusinessType(app.business_type)]
    fields = {f.name: f for f in spec.fields()}
    groups = {i.name: i for i in spec.items if isinstance(i, Rows)}
    known: dict[str, set[str]] = {"field": set(fields), "rows": set(groups)}
    flagged = [p for p in app.correction_items if p.get("name") in known.get(p.get("kind", ""), set())
               or p.get("kind") == "attachment"]
    names = {p["name"] for p in flagged if p["kind"] in ("field", "rows")}
    data = dict(app.data)
    errors: dict[str, str] = {}
    cards: dict[str, int] = {}
    if request.method == "POST":
        data = {**data, **{k: v for k, v in data_from_form(spec, request.POST, data).items() if k in names}}
        for p in flagged:
            upload = request.FILES.get(p["name"]) if p["kind"] == "attachment" else None
            if upload is None:
                continue
            try:
                correction.correction_attachment_upload(
                    application=app, applicant=signed_in_applicant(request),
                    slot=p["name"], filename=upload.name or "", content=upload.read(),
                )
            except ServiceError as e:
                errors.update(e.fields or {p["name"]: e.message})
        action = request.POST.get("action", "")
        adding = action.removeprefix("add_row:") if action.startswith("add_row:") else ""
        # Keep the empty cards the applicant had; 添加一条 gives one more.
        cards = {name: _posted_count(request, name) + (1 if name == adding else 0) for name in groups}
        if not errors and not adding:
            try:
                app = services.application_resubmit_correction(
                    application_id=app.pk, applicant=signed_in_applicant(request),
                    data={k: data.get(k) for k in names}, request=request,
                )
            except ServiceError as e:
                errors.update(e.fields or {"__all__": e.message})
            else:
                messages.success(request, "补正材料已提交。")
                return redirect("portal:progress_detail", pk=app.pk)
    current = {a.slot: a for a in app.attachments.filter(is_current=True)}
    items = []
    for p in flagged:
        item: dict[str, object] = {"problem": p, "error": errors.get(p["name"], "")}
        if p["kind"] == "field":
            f: Field = fields[p["name"]]
            item.update(field=f, value=data.get(f.name) if f.kind == "multi" else (data.get(f.name) or ""),
                        options=f.options())
        elif p["kind"] == "rows":
            rows = data.get(p["name"]) if isinstance(data.get(p["name"]), list) else []
            item.update(_rows_item(groups[p["name"]], rows or [], cards.get(p["name"], 0), errors))
        else:
            item["attachment"] = current.get(p["name"])
        items.append(item)
    return render(request, "portal/correction.html", {
        "application": app, "items": items, "errors": errors, "limits": limits_text(),
        "comment": app.events.filter(action="request_correction").values_list("comment", flat=True).last(),
    }, status=422 if errors else 200)
