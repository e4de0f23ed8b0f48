from __future__ import annotations

from django_tasks import task

from jianli.documents.models import Kind


@task()
def generate(application_id: int, kind: str) -> str:
    from jianli.documents.services import document_issue  # cycle: the services queue this task

    return document_issue(application_id=application_id, kind=Kind(kind)).number
