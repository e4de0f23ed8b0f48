"""Input and output schemas, one pair per operation.

Inputs are strict: unknown fields and wrong types are refused.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from jianli import text

Name = Annotated[str, Field(min_length=1, max_length=50)]
IdNumber = Annotated[str, Field(pattern=r"^[0-9]{17}[0-9Xx]$", description="18位居民身份证号码")]
Mobile = Annotated[str, Field(pattern=r"^1[3-9][0-9]{9}$", description="11位手机号码")]
SmsCode = Annotated[str, Field(pattern=r"^[0-9]{6}$", description="6位短信验证码")]
# About 8 MB of picture once decoded.
Base64Image = Annotated[
    str, Field(min_length=1, max_length=11_200_000, description="Base64 编码的 JPG/PNG 图片")
]
BusinessTypeName = Literal["initial", "renewal", "change", "cancellation", "replacement"]


def _text_checked(value: Any) -> None:
    if isinstance(value, str):
        message = text.problem(value, multiline=True)
        if message:
            raise PydanticCustomError("text", message)
    elif isinstance(value, dict):
        for key, item in value.items():
            _text_checked(key)
            _text_checked(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _text_checked(item)


class In(Schema):
    """Every input: strict types, no unknown fields, and every string through jianli.text (no NUL, control or
    bidirectional control characters), reported at its field in Chinese."""

    model_config = ConfigDict(extra="forbid", strict=True)

    @field_validator("*", mode="after")
    @classmethod
    def _text(cls, value: Any) -> Any:
        _text_checked(value)
        return value


class Error(Schema):
    code: str = Field(description="机器可读的错误代码")
    message: str = Field(description="给用户看的中文说明")
    fields: dict[str, str] = Field(description="按字段的错误说明")


# --- profile -------------------------------------------------------------------------------------
class ProfileCreateIn(In):
    nickname: Annotated[str, Field(min_length=1, max_length=40)]
    avatar: Base64Image | None = None


class ProfileUpdateIn(In):
    nickname: Annotated[str, Field(min_length=1, max_length=40)] | None = None
    avatar: Base64Image | None = None


class ProfileOut(Schema):
    nickname: str
    has_avatar: bool
    registered: bool


class ProfileCreatedOut(Schema):
    profile: ProfileOut
    profile_token: str = Field(description="平台用户凭证：Authorization: Bearer <profile_token>")


# --- way in --------------------------------------------------------------------------------------
class CheckIn(In):
    name: Name
    id_number: IdNumber


class CheckOut(Schema):
    found: bool
    message: str
    pending_token: str | None = Field(description="找到用户时：进行人脸识别所用的凭证")
    pending_expires_at: dt.datetime | None


class SmsCodeIn(In):
    mobile: Mobile


class SmsCodeOut(Schema):
    sent: bool
    expires_in: int
    demo_code: str | None = Field(description="仅在演示环境返回")


class RegisterIn(In):
    name: Name
    id_number: IdNumber
    mobile: Mobile
    sms_code: SmsCode
    id_photo: Base64Image


class PendingOut(Schema):
    pending_token: str
    pending_expires_at: dt.datetime


# --- face verification ----------------------------------------------------------------------------
class FaceStartIn(In):
    consent: Literal[True] = Field(description="已阅读并同意《个人信息处理规则》，必须为 true")
    provider: Annotated[str, Field(min_length=1, max_length=20)] | None = None


class FaceStartOut(Schema):
    id: str = Field(description="本次识别的编号（随机，不可推测）")
    provider: str
    token: str = Field(description="腾讯云 BizToken 或微信 verify_id，小程序拉起核验时使用")
    challenge: list[str]
    client: dict[str, Any]
    expires_at: dt.datetime
    attempts_left: int


class FaceFinishIn(In):
    fields: dict[str, Annotated[str, Field(max_length=2000)]] = Field(default_factory=dict)
    images: dict[str, Base64Image] = Field(default_factory=dict, description="Base64 编码的采集图像")


class TokensOut(Schema):
    access_token: str
    refresh_token: str
    token_type: Literal["Bearer"] = "Bearer"
    access_expires_at: dt.datetime
    refresh_expires_at: dt.datetime


class FaceFinishOut(Schema):
    id: str = Field(description="本次识别的编号（随机，不可推测）")
    status: Literal["pending", "passed", "failed"]
    reason: str
    reason_label: str
    advice: str
    attempts_left: int
    tokens: TokensOut | None


class RefreshIn(In):
    refresh_token: Annotated[str, Field(min_length=1, max_length=100)]


class MeOut(Schema):
    name: str
    id_number_masked: str
    mobile_masked: str
    nickname: str


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
    from jianli.registrations.spec import SPECS

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


class CaseDetailOut(CaseOut):
    pending_rejection: PendingRejectionOut | None = Field(description="拟不予注册，等待复核")
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
        description="reject：领取人提请不予注册（拟不予注册）；已有待复核的提请时，由另一位复核人员同意"
    )
    reason: Annotated[str, Field(max_length=50)] = Field(default="", description="不予注册的法定理由代码")
    comment: Annotated[str, Field(max_length=2000)] = ""
    note: Annotated[str, Field(max_length=1000)] = Field(default="", description="复核意见")


class DeclineIn(In):
    note: Annotated[str, Field(min_length=1, max_length=1000)] = Field(description="复核不同意的理由")


# --- 更多 -------------------------------------------------------------------------------------------
class MobileChangeIn(In):
    mobile: Mobile
    sms_code: SmsCode


class PhotoChangeIn(In):
    id_photo: Base64Image = Field(description="新的证件照（须有一张不小于80像素的人脸）")
    provider: Annotated[str, Field(min_length=1, max_length=20)] | None = Field(
        default=None, description="识别方式；须能与所给照片比对（local、tencent），微信人脸核身不支持"
    )


class PhotoChangeOut(Schema):
    id: str = Field(description="本次识别的编号（随机，不可推测）")
    status: Literal["pending", "passed", "failed"]
    reason: str
    reason_label: str
    advice: str
    attempts_left: int
    changed: bool = Field(description="证件照是否已更换（仅在识别通过时）")
    me: MeOut


class ManualSectionOut(Schema):
    anchor: str
    title: str
    steps: list[str]


class FaqOut(Schema):
    question: str
    answer: str


class ContactOut(Schema):
    name: str
    number: str
    hours: str


class PlatformSessionIn(In):
    code: Annotated[str, Field(min_length=1, max_length=128)] = Field(
        description="wx.login 得到的临时登录凭证 code（5分钟内有效，只能用一次）"
    )


class PlatformSessionOut(Schema):
    platform: str = Field(description="wechat；支付宝小程序接入后为 alipay")
    bound: bool = Field(description="已将该平台身份绑定到当前平台用户")
    has_unionid: bool


class SubscriptionIn(In):
    answers: dict[Annotated[str, Field(min_length=1, max_length=64)], Literal["accept", "reject", "ban"]] = Field(
        description="wx.requestSubscribeMessage 的结果：{模板ID: accept|reject|ban}（每次允许可发送一条）"
    )


class SubscriptionOut(Schema):
    template_id: str
    answer: str
    remaining: int = Field(description="还可发送的条数")
