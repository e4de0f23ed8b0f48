"""The applicant downloads the documents of the procedure (受理回执, 补正告知书, 决定书) from the progress page."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from jianli.documents.services import document_of, pdf_response
from jianli.http import JianliRequest
from jianli.portal.views import applicant_required, profile_required
from jianli.registrations.models import Application, State


@profile_required
@applicant_required
def download(request: JianliRequest, pk: int, kind: str) -> HttpResponse:
    applicant = request.applicant
    application = Application.objects.filter(pk=pk, applicant=applicant).exclude(state=State.DRAFT).first()
    document = document_of(application, kind) if application else None
    if document is None:
        raise Http404("未找到该文书")
    return pdf_response(document)
