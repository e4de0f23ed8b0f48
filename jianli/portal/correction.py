"""补正: the applicant sees the one complete list of problems and changes only those fields and files."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from jianli.errors import ServiceError
from jianli.portal.views import applicant_required
from jianli.registrations import decisions
from jianli.registrations.models import Application, BusinessType, State
from jianli.registrations.spec import SPECS, Field
from jianli.registrations.submission import data_from_form


def _application(request: HttpRequest, pk: int) -> Application:
    app = Application.objects.select_related("employer").filter(
        pk=pk, applicant=request.applicant, state=State.IN_CORRECTION  # type: ignore[attr-defined]
    ).first()
    if app is None:
        raise Http404("未找到需要补正的办件")
    return app


@applicant_required
def page(request: HttpRequest, pk: int) -> HttpResponse:
    app = _application(request, pk)
    spec = SPECS[BusinessType(app.business_type)]
    fields = {f.name: f for f in spec.fields()}
    flagged = [p for p in app.correction_items if p.get("kind") != "field" or p.get("name") in fields]
    data = dict(app.data)
    errors: dict[str, str] = {}
    if request.method == "POST":
        names = {p["name"] for p in flagged if p["kind"] == "field"}
        data = {**data, **{k: v for k, v in data_from_form(spec, request.POST, data).items() if k in names}}
        for p in flagged:
            upload = request.FILES.get(p["name"]) if p["kind"] == "attachment" else None
            if upload is None:
                continue
            try:
                decisions.correction_attachment_upload(
                    application=app, applicant=request.applicant,  # type: ignore[attr-defined]
                    slot=p["name"], filename=upload.name or "", content=upload.read(),
                )
            except ServiceError as e:
                errors.update(e.fields or {p["name"]: e.message})
        if not errors:
            try:
                app = decisions.application_resubmit_correction(
                    application_id=app.pk, applicant=request.applicant,  # type: ignore[attr-defined]
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
        else:
            item["attachment"] = current.get(p["name"])
        items.append(item)
    return render(request, "portal/correction.html", {
        "application": app, "items": items, "errors": errors,
        "comment": app.events.filter(action="request_correction").values_list("comment", flat=True).last(),
    }, status=422 if errors else 200)
