"""Operations for integrations: employers (企业上报) and the ministry (部级审核), with API keys and scopes."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["对接：企业与审查"])
