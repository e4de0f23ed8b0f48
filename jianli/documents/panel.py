from __future__ import annotations

from typing import Any

import jinja2
from django.urls import reverse
from markupsafe import Markup

from jianli.accounts import fixed_reads
from jianli.documents.models import Document
from jianli.registrations.models import Application


@jinja2.pass_environment
def application_documents(env: jinja2.Environment, application: Application, audience: str) -> Markup:
    """办理文书: the application's documents with the audience's download links ("portal" or "review")."""
    rows: list[dict[str, Any]] = []
    for d in fixed_reads.rows_where(Document, "application", application.pk):
        if audience == "review":
            url = reverse("review:document", args=[application.number, d.kind])
        else:
            url = reverse("portal:document", args=[application.pk, d.kind])
        rows.append({"document": d, "url": url})
    return Markup(env.get_template("documents/_list.html").render(rows=rows, audience=audience))
