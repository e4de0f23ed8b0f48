"""补正 (一次性告知): what a reviewer may point at, the problems as listed, and what the applicant may change.

The actions themselves (`application_request_correction`, `application_resubmit_correction`) are in `services`.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from jianli import text
from jianli.accounts.models import Applicant
from jianli.employers.models import Employer
from jianli.errors import ServiceError
from jianli.registrations.models import Application, Attachment, BusinessType, State
from jianli.registrations.spec import SPECS, Rows
from jianli.registrations.submission import attachment_upload, resolve_employer, validate

# Facts the employer confirmed when reporting: if a 补正 changes one, the employer confirms again.
EMPLOYER_FACTS = {"employer", "employer_uscc", "leave_date", "change_items", "labour_contract", "termination_proof"}


def correction_targets(application: Application) -> list[tuple[str, str, str]]:
    """(kind, name, label) of every field, repeatable group (kind "rows": the whole group, e.g. 工程业绩) and
    attachment slot a 补正 may point at, in the order of the form."""
    spec = SPECS[BusinessType(application.business_type)]
    data = application.data
    out = [("rows" if isinstance(item, Rows) else "field", item.name, item.label)
           for item in spec.items if item.when(data)]
    out += [("attachment", slot.name, slot.label) for slot in spec.slots if slot.when(data)]
    return out


def clean_problems(application: Application, problems: list[dict[str, str]]) -> list[dict[str, str]]:
    """The reviewer's list, each problem tied to one of `correction_targets`; ServiceError names what is wrong."""
    targets = {(kind, name): label for kind, name, label in correction_targets(application)}
    cleaned: list[dict[str, str]] = []
    errors: dict[str, str] = {}
    for i, p in enumerate(problems):
        kind, name, message = p.get("kind", ""), p.get("name", ""), (p.get("message") or "").strip()
        if not name and not message:
            continue
        if (kind, name) not in targets:
            errors[f"problem_{i}"] = "请选择需要补正的事项"
        elif not message:
            errors[f"problem_{i}"] = "请写明需要如何补正"
        elif wrong := text.problem(message, label="补正说明", multiline=True):
            errors[f"problem_{i}"] = wrong
        else:
            cleaned.append({"kind": kind, "name": name, "label": targets[(kind, name)], "message": message[:500]})
    if errors:
        raise ServiceError("invalid", "补正事项填写不完整", fields=errors, status=422)
    if not cleaned:
        raise ServiceError("invalid", "请至少列出一项补正事项", fields={"problem_0": "请至少列出一项补正事项"}, status=422)
    return cleaned


def _flagged(application: Application, kind: str) -> set[str]:
    return {p["name"] for p in application.correction_items if p.get("kind") == kind}


def correction_attachment_upload(
    *, application: Application, applicant: Applicant, slot: str, filename: str, content: bytes
) -> Attachment:
    """Replace a flagged attachment while in 补正; other slots stay as reported."""
    if application.applicant_id != applicant.pk:
        raise ServiceError("not_found", "未找到该申请", status=404)
    if application.state != State.IN_CORRECTION:
        raise ServiceError("state", "该办件当前不在补正中", status=409)
    if slot not in _flagged(application, "attachment"):
        raise ServiceError("not_flagged", "该材料无需补正", fields={slot: "该材料无需补正"}, status=422)
    return attachment_upload(application=application, slot=slot, filename=filename, content=content)


def clean_resubmission(application: Application, data: dict[str, Any]) -> tuple[dict[str, Any], Employer | None]:
    """The application's data with the applicant's corrections, and its employer: only the flagged fields and
    repeatable groups may change (a flagged group is sent whole, a list of row dicts), cleaned by `Spec.clean`
    as pages and API clean theirs, then checked by `validate`."""
    flagged_fields = _flagged(application, "field")
    flagged_rows = _flagged(application, "rows")
    editable = flagged_fields | flagged_rows
    extra = [k for k in data if k not in editable and data[k] != application.data.get(k)]
    if extra:
        raise ServiceError(
            "not_flagged", "只能修改需要补正的事项", fields={k: "该项无需补正，不能修改" for k in extra}, status=422
        )
    spec = SPECS[BusinessType(application.business_type)]
    # The one cleaner of pages and API (what is wrong raises, by field); None is "not sent".
    changes = spec.clean({k: v for k, v in data.items() if k in editable and v is not None})
    new_data = {**application.data, **changes}
    errors = validate(spec, new_data, today=timezone.localdate())
    errors = {k: v for k, v in errors.items() if k.split(".")[0].split("-")[0] in editable}
    if errors:
        raise ServiceError("invalid", "补正内容有误，请修改", fields=errors, status=422)
    employer = application.employer
    if "employer" in flagged_fields and new_data.get("employer") != application.data.get("employer"):
        employer, message = resolve_employer(str(new_data.get("employer") or ""))
        if employer is None:
            raise ServiceError("invalid", message or "请填写聘用单位", fields={"employer": message or ""}, status=422)
    return new_data, employer

