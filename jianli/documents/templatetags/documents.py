from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from jianli.accounts import fixed_reads
from jianli.documents.models import Document
from jianli.registrations.models import Application

register = template.Library()


@register.inclusion_tag("documents/_list.html")
def application_documents(application: Application, audience: str) -> dict[str, Any]:
    """The application's documents with the audience's download links ("portal" or "review")."""
    rows = []
    for d in fixed_reads.rows_where(Document, "application", application.pk):
        if audience == "review":
            url = reverse("review:document", args=[application.number, d.kind])
        else:
            url = reverse("portal:document", args=[application.pk, d.kind])
        rows.append({"document": d, "url": url})
    return {"rows": rows, "audience": audience}
