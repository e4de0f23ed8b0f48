"""The audit search and the Excel exports of the ministry console."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from django.http import FileResponse, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone

from jianli import pii
from jianli.accounts.models import Applicant
from jianli.audit import events
from jianli.audit.models import AuditEvent
from jianli.identifiers import InvalidIdentifier, clean_id_number
from jianli.registrations.models import Application
from jianli.replica import replica_reads
from jianli.review import export
from jianli.review.access import day_start, parse_day, staff_required
from jianli.review.views import queue_queryset

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
    start, end = parse_day(values["from"]), parse_day(values["to"])
    if start:
        qs = qs.filter(created_at__gte=day_start(start))
    if end:
        qs = qs.filter(created_at__lt=day_start(end + dt.timedelta(days=1)))
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
