"""The catalogue, the forms, drafts and applications: what an applicant reads, fills in and follows."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field

from jianli.api.schemas.base import BusinessTypeName, IdNumber, In, Name
from jianli.registrations.spec import SPECS


# --- catalogue ------------------------------------------------------------------------------------
class CatalogueEntryOut(Schema):
    business_type: BusinessTypeName
    label: str
    title: str
    summary: str
    conditions: list[str]
    materials: list[str]
    time_limit_days: int


class CatalogueOut(Schema):
    item_name: str
    item_code: str
    authority: str
    legal_basis: list[str]
    refusal_conditions: list[str]
    entries: list[CatalogueEntryOut]


# --- forms, drafts and applications ---------------------------------------------------------------
def _names() -> tuple[tuple[str, ...], tuple[str, ...]]:

    fields = dict.fromkeys(item.name for spec in SPECS.values() for item in spec.items)
    slots = dict.fromkeys(slot.name for spec in SPECS.values() for slot in spec.slots)
    return tuple(fields), tuple(slots)


_FIELD_NAMES, _SLOT_NAMES = _names()
# Every field and attachment slot of any business type; which apply to one type is in GET /forms/{type}.
FieldName = Literal[_FIELD_NAMES]  # type: ignore[valid-type]
SlotName = Literal[_SLOT_NAMES]  # type: ignore[valid-type]
FieldValue = (
    Annotated[str, Field(max_length=1000)]
    | Annotated[list[Annotated[str, Field(max_length=200)]], Field(max_length=30)]
    | Annotated[list[dict[str, Annotated[str, Field(max_length=200)]]], Field(max_length=30)]
)


class FormFieldOut(Schema):
    name: str
    label: str
    kind: str
    required: bool
    options: list[list[str]]
    max_choices: int
    hint: str
    section: str
    columns: list[FormFieldOut] = Field(
        default_factory=list, description="可重复的分组（工作经历、工程业绩）的列"
    )


class FormSlotOut(Schema):
    name: str
    label: str
    required: bool
    hint: str


class FormOut(Schema):
    business_type: BusinessTypeName
    fields: list[FormFieldOut]
    slots: list[FormSlotOut]


class DraftSaveIn(In):
    step: Annotated[int, Field(ge=1, le=3)] | None = None
    data: dict[FieldName, FieldValue] = Field(
        description="申报信息：只需提交本步骤改动的字段；重复分组提交整组"
    )


class AttachmentOut(Schema):
    slot: str
    label: str
    name: str
    content_type: str
    size: int
    uploaded_at: dt.datetime


class DraftOut(Schema):
    id: int
    business_type: BusinessTypeName
    state: Literal["draft", "returned"] = Field(
        description="draft：填写中；returned：企业已退回，修改后重新提交"
    )
    number: str | None
    return_reason: str = Field(description="企业退回的原因（state 为 returned 时）")
    step: int
    data: dict[str, Any]
    errors: dict[str, str] = Field(description="尚未填好的字段（保存不受影响）")
    attachments: list[AttachmentOut]
    missing_attachments: dict[str, str]
    applicable: list[str] = Field(
        description="按已填内容适用的字段和材料（如变更事项决定是否填写新聘用单位）；表单只显示这些"
    )
    expires_at: dt.datetime | None


class StepOut(Schema):
    key: str
    label: str
    node: Literal["pending", "active", "failed", "done"]
    node_label: str
    day: dt.date | None
    note: str


class ReasonOut(Schema):
    title: str
    text: str
    items: list[str]


class ApplicationOut(Schema):
    id: int
    number: str | None
    business_type: BusinessTypeName
    business_type_label: str
    state: str
    state_label: str
    employer_name: str | None
    submitted_at: dt.datetime | None
    deadline: dt.date | None
    may_withdraw: bool


class ApplicationDetailOut(ApplicationOut):
    next_step: str
    timeline: list[StepOut]
    reason: ReasonOut | None
    data: dict[str, Any]
    attachments: list[AttachmentOut]


class WithdrawIn(In):
    expected_state: Literal["awaiting_employer", "returned", "awaiting_review"] = Field(
        description="页面显示时的状态；状态已变化时返回 409"
    )


class ProgressIn(In):
    name: Name
    id_number: IdNumber
    business_type: BusinessTypeName


class ProgressOut(Schema):
    applications: list[ApplicationDetailOut]


class CorrectionIn(In):
    data: dict[FieldName, FieldValue] = Field(
        default_factory=dict,
        description="需补正的字段的新值；需补正的分组（工作经历、工程业绩）提交整组，每条一个对象（材料请先单独上传）",
    )
