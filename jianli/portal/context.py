from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def service(request: HttpRequest) -> dict[str, Any]:
    large = request.session.get("large_text") if hasattr(request, "session") else None
    return {
        "ITEM_CODE": settings.JIANLI_ITEM_CODE,
        "DEMO": settings.DEMO,
        "SESSION_IDLE_SECONDS": settings.SESSION_COOKIE_AGE,
        "large_text": bool(large),
    }
