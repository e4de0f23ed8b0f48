"""头像和昵称: the platform user's profile, set on first use."""

from __future__ import annotations

from typing import Any

from ninja import File, Status
from ninja.files import UploadedFile

from jianli.accounts import services as accounts
from jianli.api import credentials
from jianli.api.auth import profile_auth
from jianli.api.errors import IMAGES, TOKEN, errors
from jianli.api.schemas import (
    ProfileCreatedOut,
    ProfileCreateIn,
    ProfileOut,
    ProfileUpdateIn,
)
from jianli.api.way_in.common import decode_base64, profile_of, profile_out, router
from jianli.errors import ServiceError
from jianli.http import JianliRequest


@router.post(
    "profile",
    auth=None,
    response={201: ProfileCreatedOut, **errors(400, 413, 422, 429)},
    summary="设置头像和昵称（首次使用）",
)
def profile_create(request: JianliRequest, payload: ProfileCreateIn) -> Status:
    accounts.profile_create_allowed(request)
    avatar = decode_base64(payload.avatar, "avatar") if payload.avatar is not None else None
    profile = accounts.profile_create(nickname=payload.nickname, avatar=avatar)
    return Status(
        201,
        {"profile": profile_out(profile), "profile_token": credentials.profile_token_issue(profile=profile)},
    )


@router.get("profile", auth=profile_auth, response={200: ProfileOut, **TOKEN}, summary="查看头像和昵称")
def profile_read(request: JianliRequest) -> dict[str, Any]:
    return profile_out(profile_of(request))


@router.patch(
    "profile", auth=profile_auth, response={200: ProfileOut, **IMAGES}, summary="修改昵称或头像（Base64）"
)
def profile_update(request: JianliRequest, payload: ProfileUpdateIn) -> dict[str, Any]:
    profile = profile_of(request)
    avatar = decode_base64(payload.avatar, "avatar") if payload.avatar is not None else None
    profile = accounts.profile_update(profile=profile, nickname=payload.nickname, avatar=avatar, request=request)
    return profile_out(profile)


@router.post(
    "profile/avatar",
    auth=profile_auth,
    response={200: ProfileOut, **errors(400, 401, 403, 404, 413, 422, 429)},
    summary="上传头像（multipart/form-data）",
)
def profile_avatar_upload(request: JianliRequest, avatar: File[UploadedFile]) -> dict[str, Any]:
    profile = profile_of(request)
    if avatar.size and avatar.size > accounts.MAX_IMAGE_UPLOAD:
        raise ServiceError("too_large", "图片不能超过8MB", fields={"avatar": "图片不能超过8MB"}, status=422)
    profile = accounts.profile_update(profile=profile, avatar=avatar.read(), request=request)
    return profile_out(profile)
