"""Drafts and submission: what the applicant enters in 申报信息, checked against the spec, then submitted once."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import timezone

from jianli import text
from jianli.accounts import fixed_reads
from jianli.accounts.models import Applicant
from jianli.employers.models import Employer
from jianli.errors import Conflict, ServiceError
from jianli.identifiers import InvalidIdentifier, clean_uscc
from jianli.registrations.models import (
    Application,
    Attachment,
    BusinessType,
    Registration,
    State,
)
from jianli.registrations.read_once import answer
from jianli.registrations.rules import current_registration, find_qualification, qualification_refusal
from jianli.registrations.spec import MAX_ROWS, SPECS, Data, Field, Rows, Slot, Spec
from jianli.registrations.uploads import check_upload

EDITABLE_STATES = (State.DRAFT, State.RETURNED)

# Reads that each step of drafting and submitting makes: statements written once (fixed_reads).
EDITABLE_DRAFT = fixed_reads.Select(Application, where=("applicant", "business_type"), among={"state": EDITABLE_STATES},
                                    order=("-updated_at", "-id"))
CURRENT_ATTACHMENTS = fixed_reads.Select(Attachment, where=("application", "is_current"), order=("slot",))
ACTIVE_EMPLOYER = fixed_reads.Select(Employer, where=("uscc", "is_active"))


def draft_get(*, applicant: Applicant, business_type: BusinessType) -> Application | None:
    """The application the applicant may still edit: the draft, or one the employer returned (企业已退回)."""
    draft: Application | None = EDITABLE_DRAFT.first(applicant, business_type)
    if draft is not None:
        draft.applicant = applicant  # the caller's row, not read again by the roster check or the submission
    return draft


def roster_fields(spec: Spec) -> list[str]:
    """The fields of this business type filled from the roster (资格库) and locked against typing."""
    return [i.name for i in spec.items if isinstance(i, Field) and i.from_roster]


def roster_values(applicant: Applicant, spec: Spec) -> Data:
    """The roster's record for the locked fields; empty strings when the roster has none."""
    names = roster_fields(spec)
    if not names:
        return {}
    q = find_qualification(applicant=applicant)
    record = {
        "qualification_number": q.certificate_number if q else "",
        "qualification_date": q.obtained_on.isoformat() if q else "",
        "exam_category": q.category if q else "",
    }
    return {name: record.get(name, "") for name in names}


def roster_sync(application: Application) -> Application:
    """Re-copy the roster's record into the draft (when opened and when submitted): the roster is the source of
    truth, so an edit of the roster since the draft was started is what the application carries."""
    if application.state not in EDITABLE_STATES:
        return application
    spec = SPECS[BusinessType(application.business_type)]
    values = roster_values(application.applicant, spec)
    if values and any((application.data or {}).get(k) != v for k, v in values.items()):
        application.data = {**(application.data or {}), **values}
        Application.objects.filter(pk=application.pk, state__in=EDITABLE_STATES).update(data=application.data)
    return application


def roster_mismatch(spec: Spec, typed: Data, roster: Data) -> dict[str, str]:
    """Field errors for a locked field sent with a value other than the roster's (the API refuses these)."""
    labels = {i.name: i.label for i in spec.items}
    return {
        name: f"{labels[name]}以监理工程师职业资格库中的记录为准，不能修改；如有误请联系资格管理部门"
        for name, value in typed.items()
        if name in roster and str(value or "").strip() != roster[name]
    }


def _prefill(applicant: Applicant, business_type: BusinessType) -> Data:
    if business_type == BusinessType.INITIAL:
        return roster_values(applicant, SPECS[business_type])
    registration = Registration.objects.filter(applicant=applicant).select_related("employer").first()
    if registration is None:
        return {}
    data: Data = {"employer": registration.employer.uscc}
    if business_type == BusinessType.CHANGE:
        data["specialties"] = list(registration.specialties)
    return data


def draft_get_or_create(*, applicant: Applicant, business_type: BusinessType) -> Application:
    """The applicant's one draft of this business type (a unique constraint keeps it one, across processes)."""
    draft = draft_get(applicant=applicant, business_type=business_type)
    if draft is not None:
        return draft
    try:
        with transaction.atomic():
            return Application.objects.create(
                applicant=applicant,
                business_type=business_type,
                state=State.DRAFT,
                data=_prefill(applicant, business_type),
                step=2,
                expires_at=timezone.now() + dt.timedelta(days=settings.JIANLI_DRAFT_DAYS),
                registration=current_registration(applicant=applicant),
            )
    except IntegrityError:
        return Application.objects.get(applicant=applicant, business_type=business_type, state=State.DRAFT)


def data_from_form(spec: Spec, post: QueryDict, data: Data) -> Data:
    """Everything typed, kept as typed (valid or not), so nothing is ever lost; cleaned by `spec.clean` as the
    API's and 补正's input is. Only what the posted page showed is read."""
    raw: Data = {}
    for item in spec.items:
        if isinstance(item, Field) and item.from_roster:
            continue  # shown read-only; whatever was posted is ignored
        if isinstance(item, Rows):
            if f"{item.name}-count" not in post:
                continue  # not on the page that was posted: keep what was entered before
            try:
                count = min(int(post.get(f"{item.name}-count", "0")), MAX_ROWS)
            except ValueError:
                count = 0
            raw[item.name] = [{c.name: post.get(f"{item.name}-{i}-{c.name}", "") for c in item.columns}
                              for i in range(count)]
        elif item.kind == "multi" and item.when(data):
            # A group of checkboxes posts nothing when none is ticked, so only a group that was shown is read;
            # a value no checkbox offers is not a choice.
            allowed = {value for value, _ in item.options()}
            raw[item.name] = [v for v in post.getlist(item.name) if v in allowed]
        elif item.name in post:
            raw[item.name] = post.get(item.name, "")
    return {**data, **spec.clean(raw)}


def _check_value(f: Field, value: Any, today: dt.date) -> str | None:
    if f.kind == "multi":
        if f.required and not value:
            return f"请选择{f.label}"
        if f.max_choices and len(value) > f.max_choices:
            return f"{f.label}最多选择{f.max_choices}个"
        return None
    value = str(value or "").strip()
    wrong = text.problem(value, label=f.label, multiline=True)
    if wrong:
        return wrong
    if not value:
        return f"请{'选择' if f.kind in ('select', 'date') else '填写'}{f.label}" if f.required else None
    if f.kind == "date":
        day = text.parse_date(value)
        if day is None:
            return f"{f.label}格式不正确，请按 年-月-日 填写"
        if day > today:
            return f"{f.label}不能晚于今天"
        if day.year < 1950:
            return f"{f.label}不正确"
    elif f.kind == "number":
        if not re.fullmatch(r"[0-9]{1,4}", value, re.ASCII):
            return f"{f.label}应为整数"
    elif f.kind == "select":
        if value not in {v for v, _ in f.options()}:
            return f"请选择{f.label}"
    return None


def resolve_employer(value: str) -> tuple[Employer | None, str | None]:
    """A 聘用单位 by its 统一社会信用代码, or by its full name."""
    value = (value or "").strip()
    if not value:
        return None, "请填写聘用单位"
    try:
        uscc = clean_uscc(value)
    except InvalidIdentifier as e:
        if any(c.isdigit() for c in value) and len(value.replace(" ", "")) >= 15:
            return None, e.message
    else:
        employer = answer(("employer", uscc), lambda: ACTIVE_EMPLOYER.first(uscc, True))
        return (employer, None) if employer else (None, "未找到该统一社会信用代码对应的单位，请核对，或请单位先开通企业账号")
    matches = answer(("employers named", value), lambda: list(Employer.objects.filter(name=value, is_active=True)[:2]))
    if len(matches) == 1:
        return matches[0], None
    similar = list(Employer.objects.filter(name__contains=value, is_active=True).values_list("name", flat=True)[:5])
    if similar:
        return None, "请填写单位全称，例如：" + "、".join(similar)
    return None, "未找到该单位，请填写统一社会信用代码"


def validate(spec: Spec, data: Data, *, today: dt.date | None = None) -> dict[str, str]:
    """Errors per field (rows as 'name-i-column'); empty when the data is complete and well-formed."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    for item in spec.items:
        if not item.when(data):
            continue
        if isinstance(item, Rows):
            rows = data.get(item.name) or []
            if len(rows) < item.min_rows:
                errors[f"{item.name}-0-{item.columns[0].name}"] = f"请至少填写一条{item.label}"
            for i, row in enumerate(rows):
                for column in item.columns:
                    message = _check_value(column, row.get(column.name), today)
                    if message:
                        errors[f"{item.name}-{i}-{column.name}"] = f"第{i + 1}条{item.label}：{message}"
            continue
        if item.kind == "employer":
            employer, message = resolve_employer(str(data.get(item.name) or ""))
            if message:
                errors[item.name] = message
            continue
        if item.from_roster:
            if not data.get(item.name) and "qualification_number" not in errors:
                errors["qualification_number"] = qualification_refusal().message
            continue  # the roster's value, not the applicant's to correct
        message = _check_value(item, data.get(item.name), today)
        if message:
            errors[item.name] = message
    return errors


def applicable_slots(spec: Spec, data: Data) -> list[Slot]:
    return [s for s in spec.slots if s.when(data)]


def current_attachments(application: Application) -> dict[str, Attachment]:
    return {a.slot: a for a in CURRENT_ATTACHMENTS.rows(application, True)}


def missing_attachments(application: Application, have: dict[str, Attachment] | None = None) -> dict[str, str]:
    have = current_attachments(application) if have is None else have
    spec = SPECS[BusinessType(application.business_type)]
    return {
        s.name: f"请上传{s.label}"
        for s in applicable_slots(spec, application.data)
        if s.required and s.name not in have
    }


def draft_save(*, application: Application, data: Data, step: int | None = None) -> Application:
    """Save what was typed (even if incomplete); a draft's expiry moves forward with each save."""
    if application.state not in EDITABLE_STATES:
        raise Conflict("该申请已提交，不能再修改。")
    application.data = data
    if step is not None:
        application.step = step
    if application.state == State.DRAFT:
        application.expires_at = timezone.now() + dt.timedelta(days=settings.JIANLI_DRAFT_DAYS)
    Application.objects.filter(pk=application.pk, state__in=EDITABLE_STATES).update(
        data=data, step=application.step, expires_at=application.expires_at, updated_at=timezone.now()
    )
    return application


def attachment_upload(*, application: Application, slot: str, filename: str, content: bytes) -> Attachment:
    """Check the file by its content and store it (encrypted) in place of the slot's previous file."""
    spec = SPECS[BusinessType(application.business_type)]
    labels = {s.name: s.label for s in spec.slots}
    if slot not in labels:
        raise ServiceError("invalid", "没有这项材料", fields={slot: "没有这项材料"}, status=422)
    try:
        content_type = check_upload(content, filename=filename)
    except ServiceError as e:
        message = next(iter(e.fields.values()), e.message)
        raise ServiceError(e.code, message, fields={slot: message}, status=422) from None
    attachment = Attachment(
        application=application,
        slot=slot,
        original_name=(filename or slot)[-200:],
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    attachment.store(content)
    with transaction.atomic():
        Attachment.objects.filter(application=application, slot=slot, is_current=True).update(is_current=False)
        attachment.save()
    return attachment


def submission_problems(application: Application, *, today: dt.date | None = None) -> dict[str, str]:
    spec = SPECS[BusinessType(application.business_type)]
    return {**validate(spec, application.data, today=today), **missing_attachments(application)}


def submission_employer(application: Application) -> Employer | None:
    """The 聘用单位 a submission names (for a registration's business, its registered employer if none is named)."""
    employer, _ = resolve_employer(str(application.data.get("employer") or ""))
    if employer is None and application.registration is not None:
        employer = application.registration.employer
    return employer
