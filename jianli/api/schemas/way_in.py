"""The way in: the applicant's profile, the check, the SMS code, registration, face verification, tokens."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field

from jianli.api.schemas.base import Base64Image, IdNumber, In, Mobile, Name, SmsCode


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
