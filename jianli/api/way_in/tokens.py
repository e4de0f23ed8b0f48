"""Tokens refreshed and revoked, who is signed in, and the catalogue."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from ninja import Status

from jianli.api import credentials
from jianli.api.auth import applicant_auth
from jianli.api.errors import errors
from jianli.api.schemas import (
    CatalogueOut,
    MeOut,
    RefreshIn,
    TokensOut,
)
from jianli.api.way_in.common import caller_of, router
from jianli.http import JianliRequest
from jianli.registrations.catalogue import AUTHORITY, ENTRIES, ITEM_NAME, LEGAL_BASIS, REFUSAL_CONDITIONS


@router.post(
    "tokens/refresh", auth=None, response={200: TokensOut, **errors(400, 401, 422)}, summary="刷新访问令牌"
)
def token_refresh(request: JianliRequest, payload: RefreshIn) -> dict[str, Any]:
    pair = credentials.token_refresh(refresh_token=payload.refresh_token)
    return {
        "access_token": pair.access_token,
        "refresh_token": pair.refresh_token,
        "access_expires_at": pair.access_expires_at,
        "refresh_expires_at": pair.refresh_expires_at,
    }


@router.post(
    "tokens/revoke",
    auth=applicant_auth,
    response={204: None, **errors(400, 401)},
    summary="退出登录（吊销令牌）",
)
def token_revoke(request: JianliRequest) -> Status:
    credentials.token_family_revoke(token=caller_of(request).token)
    return Status(204, None)


@router.get(
    "me", auth=applicant_auth, response={200: MeOut, **errors(400, 401)}, summary="当前申请人（脱敏）"
)
def me(request: JianliRequest) -> dict[str, Any]:
    applicant = caller_of(request).applicant
    assert applicant is not None
    return {
        "name": applicant.name,
        "id_number_masked": applicant.masked_id_number,
        "mobile_masked": applicant.masked_mobile,
        "nickname": applicant.nickname,
    }


@router.get("catalogue", auth=None, response={200: CatalogueOut, **errors(400)}, summary="事项与业务类型")
def catalogue(request: JianliRequest) -> dict[str, Any]:
    return {
        "item_name": ITEM_NAME,
        "item_code": settings.JIANLI_ITEM_CODE,
        "authority": AUTHORITY,
        "legal_basis": LEGAL_BASIS,
        "refusal_conditions": REFUSAL_CONDITIONS,
        "entries": [
            {
                "business_type": e.business_type.value,
                "label": e.business_type.label,
                "title": e.title,
                "summary": e.summary,
                "conditions": e.conditions,
                "materials": e.materials,
                "time_limit_days": e.time_limit_days,
            }
            for e in ENTRIES.values()
        ],
    }
