"""Documents of the procedure: which transition issues which document, made after commit by a task.

受理回执 when the ministry receives the application (the employer's first 确认上报; receipt counts as acceptance
unless a 补正 follows within `spec.CORRECTION_NOTICE_DAYS` working days), 补正告知书 at the one 补正 (一次性告知), 准予…决定书 at
approval, 不予…决定书 at refusal. Each is made once per application and kind (a unique row): a retried task, two
workers, or the employer's second report after a 补正 cannot issue two.
"""

from __future__ import annotations

import logging
from urllib.parse import quote

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.http import HttpResponse

from jianli import pii
from jianli.certificates import signing
from jianli.documents import pdf, texts
from jianli.documents.models import Document, Kind
from jianli.documents.tasks import generate
from jianli.registrations.models import Application

log = logging.getLogger("jianli.documents")

ISSUED_BY: dict[str, Kind] = {
    "report": Kind.RECEIPT,
    "request_correction": Kind.CORRECTION,
    "approve": Kind.APPROVAL,
    "reject": Kind.REJECTION,
}


def queue_for(application: Application, action: str) -> None:
    """Called by the workflow inside a transition: the document is made after the transition commits."""
    kind = ISSUED_BY.get(str(action))
    if kind is None:
        return
    if kind == Kind.REJECTION and not application.decision_reason:
        return  # 终止办理 by the system is not a decision on the merits
    pk = application.pk
    transaction.on_commit(lambda: generate.enqueue(pk, str(kind)), robust=True)


def document_issue(*, application_id: int, kind: Kind) -> Document:
    """Make, sign and store the document (idempotent: the existing one is returned)."""
    found = Document.objects.filter(application_id=application_id, kind=kind).first()
    if found is not None:
        return found
    application = Application.objects.select_related("applicant", "employer", "registration__employer").get(
        pk=application_id)
    text = texts.text_of(kind, application)
    content = signing.sign_pdf(pdf.render(text), reason=f"{text.title} {text.number}")
    path = pii.save_file(content, "document.pdf")
    try:
        with transaction.atomic():
            return Document.objects.create(
                application=application, kind=kind, title=text.title, number=text.number, pdf_path=path)
    except IntegrityError:
        default_storage.delete(path)
        return Document.objects.get(application_id=application_id, kind=kind)


def documents_of(application: Application) -> list[Document]:
    return list(Document.objects.filter(application=application))



def document_of(application: Application, kind: str) -> Document | None:
    if kind not in Kind.values:
        return None
    return Document.objects.filter(application=application, kind=kind).first()


def pdf_response(document: Document) -> HttpResponse:
    response = HttpResponse(document.read_pdf(), content_type="application/pdf")
    name = quote(f"{document.title}-{document.number}.pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    response["Cache-Control"] = "private, no-store"
    return response
