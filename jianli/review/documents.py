"""Ministry staff download an application's documents from the case page; each download is audited."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from jianli.audit import events
from jianli.documents.services import document_of, pdf_response
from jianli.registrations.models import Application
from jianli.review.access import staff_required


@staff_required
def download(request: HttpRequest, number: str, kind: str) -> HttpResponse:
    application = Application.objects.filter(number=number).exclude(reported_at=None).first()
    document = document_of(application, kind) if application else None
    if application is None or document is None:
        raise Http404("未找到该文书")
    events.personal_data_viewed(request, application.applicant_id, f"document:{kind}", application.pk)
    return pdf_response(document)
