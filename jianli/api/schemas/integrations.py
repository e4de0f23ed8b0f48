"""The employers' and the ministry's systems: cases, their attachments, returns, 补正 requests and decisions."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field

from jianli.api.schemas.applications import AttachmentOut, StepOut
from jianli.api.schemas.base import BusinessTypeName, In


# --- integrations ---------------------------------------------------------------------------------
class CaseOut(Schema):
    id: int
    number: str | None
    business_type: BusinessTypeName
    business_type_label: str
    state: str
    state_label: str
    applicant_name: str
    applicant_id_number_masked: str
    employer_name: str | None
    submitted_at: dt.datetime | None
    reported_at: dt.datetime | None
    deadline: dt.date | None
    claimed_by_me: bool


class PendingRejectionOut(Schema):
    reason: str
    reason_label: str
    comment: str
    proposed_by_me: bool
    created_at: dt.datetime


class PendingApprovalOut(Schema):
    reason: str = Field(description="为何须经复核，如资格库记录经人工修改")
    comment: str = Field(description="审查意见")
    proposed_by_me: bool
    created_at: dt.datetime


class CaseDetailOut(CaseOut):
    pending_rejection: PendingRejectionOut | None = Field(description="拟不予注册，等待复核")
    pending_approval: PendingApprovalOut | None = Field(
        description="拟准予注册，等待另一位复核人员复核（资格库记录经人工修改的初始注册）"
    )
    data: dict[str, Any]
    attachments: list[AttachmentOut]
    correction_items: list[dict[str, Any]]
    timeline: list[StepOut]


class AttachmentContentOut(AttachmentOut):
    sha256: str
    content: str = Field(description="文件内容，Base64 编码")


class CaseListOut(Schema):
    count: int
    items: list[CaseOut]


class ReturnIn(In):
    reason: Annotated[str, Field(min_length=1, max_length=500)]


class ProblemIn(In):
    kind: Literal["field", "rows", "attachment"] = Field(
        description="field：一个填报项；rows：一组可重复的信息（work_history 工作经历、projects 工程业绩）；attachment：一份材料"
    )
    name: Annotated[str, Field(min_length=1, max_length=40)]
    message: Annotated[str, Field(min_length=1, max_length=500)]


class CorrectionRequestIn(In):
    problems: Annotated[list[ProblemIn], Field(min_length=1, max_length=50)]
    comment: Annotated[str, Field(max_length=1000)] = ""


class DecisionIn(In):
    decision: Literal["approve", "reject"] = Field(
        description="reject：领取人提请不予注册（拟不予注册）；已有待复核的提请时，由另一位复核人员同意。"
        "approve：领取人准予；须经复核的（资格库记录经人工修改的初始注册）先提请复核（见 pending_approval），"
        "再由另一位复核人员以 approve 同意"
    )
    reason: Annotated[str, Field(max_length=50)] = Field(default="", description="不予注册的法定理由代码")
    comment: Annotated[str, Field(max_length=2000)] = ""
    note: Annotated[str, Field(max_length=1000)] = Field(default="", description="复核意见")


class DeclineIn(In):
    note: Annotated[str, Field(min_length=1, max_length=1000)] = Field(description="复核不同意的理由")
