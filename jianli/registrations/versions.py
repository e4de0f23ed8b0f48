"""What the applicant submitted, frozen (ApplicationVersion), and what changed between two versions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from jianli.employers.models import Employer
from jianli.registrations.correction import correction_targets
from jianli.registrations.models import Application, ApplicationVersion, BusinessType
from jianli.registrations.spec import SPECS, Rows
from jianli.registrations.submission import CURRENT_ATTACHMENTS


def attachments_of(application: Application) -> dict[str, dict[str, Any]]:
    """The current attachment of each slot, as a version records it."""
    return {
        att.slot: {"id": att.pk, "name": att.original_name, "sha256": att.sha256}
        for att in CURRENT_ATTACHMENTS.rows(application, True)
    }


def version_freeze(application: Application, employer: Employer | None) -> ApplicationVersion:
    """A new version of the application as it stands (inside the transition that submits it)."""
    application.version += 1
    return ApplicationVersion.objects.create(
        application=application,
        version=application.version,
        data=application.data,
        attachments=attachments_of(application),
        employer_id_at=employer.pk if employer else None,
        submitted_at=timezone.now(),
    )


@dataclass(frozen=True)
class DiffRow:
    kind: str  # field | rows | attachment
    name: str
    label: str
    old: Any  # for rows: one line of text per row ("工程名称：…；担任职务：…")
    new: Any


def _row_lines(columns: dict[str, str], rows: Any) -> list[str]:
    if not isinstance(rows, list):
        return []
    return [
        "；".join(f"{label}：{row.get(name) or '—'}" for name, label in columns.items())
        for row in rows if isinstance(row, dict)
    ]


def version_diff(application: Application) -> list[DiffRow]:
    """What changed between the last two versions, field by field, group by group and attachment by attachment."""
    versions = list(application.versions.order_by("-version")[:2])
    if len(versions) < 2:
        return []
    new, old = versions
    labels = {name: label for _, name, label in correction_targets(application)}
    groups = {i.name: {c.name: c.label for c in i.columns}
              for i in SPECS[BusinessType(application.business_type)].items if isinstance(i, Rows)}
    rows = []
    for name in sorted(set(old.data) | set(new.data), key=lambda n: list(labels).index(n) if n in labels else 999):
        if old.data.get(name) == new.data.get(name):
            continue
        if name in groups:
            rows.append(DiffRow("rows", name, labels.get(name, name),
                                _row_lines(groups[name], old.data.get(name)),
                                _row_lines(groups[name], new.data.get(name))))
        else:
            rows.append(DiffRow("field", name, labels.get(name, name), old.data.get(name), new.data.get(name)))
    for slot in sorted(set(old.attachments) | set(new.attachments)):
        a, b = old.attachments.get(slot) or {}, new.attachments.get(slot) or {}
        if a.get("sha256") != b.get("sha256"):
            rows.append(DiffRow("attachment", slot, labels.get(slot, slot), a.get("name"), b.get("name")))
    return rows
