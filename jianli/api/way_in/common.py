"""What the way in shares: its router, Base64 pictures, and the caller's profile."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from ninja import Router

from jianli.accounts.models import Profile
from jianli.api.auth import Caller
from jianli.errors import ServiceError
from jianli.http import JianliRequest

router = Router(tags=["申请人：进入"])


def decode_base64(value: str, field: str) -> bytes:
    if value.startswith("data:") and "," in value:
        value = value.split(",", 1)[1]
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ServiceError(
            "invalid", "请检查填写的信息。", fields={field: "不是有效的Base64编码图片"}, status=422
        ) from None


def caller_of(request: JianliRequest) -> Caller:
    return request.auth


def profile_of(request: JianliRequest) -> Profile:
    profile = caller_of(request).profile
    if profile is None:
        raise ServiceError("profile_required", "请先设置头像和昵称。", status=403)
    return profile


def profile_out(profile: Profile) -> dict[str, Any]:
    return {
        "nickname": profile.nickname,
        "has_avatar": bool(profile.avatar),
        "registered": bool(profile.applicant_id),
    }
