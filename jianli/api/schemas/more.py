"""更多: mobile and photo changes, the manual, FAQ and contacts, platform sessions and subscriptions."""

from __future__ import annotations

from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from jianli.api.schemas.base import Base64Image, In, Mobile, SmsCode
from jianli.api.schemas.way_in import MeOut


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
