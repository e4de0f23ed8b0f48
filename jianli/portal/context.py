from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone


def service(request: HttpRequest) -> dict[str, Any]:
    large = request.session.get("large_text") if hasattr(request, "session") else None
    profile = getattr(request, "profile", None)
    if large is None and profile is not None:
        large = profile.large_text
    applicant = getattr(request, "applicant", None)
    # 适老化: offered once to applicants of 60 or more who have not chosen a mode yet.
    offer_large_text = (
        large is None and applicant is not None and applicant.age_on(timezone.localdate()) >= 60
    )
    return {
        "ITEM_CODE": settings.JIANLI_ITEM_CODE,
        "DEMO": settings.DEMO,
        "SESSION_IDLE_SECONDS": settings.SESSION_COOKIE_AGE,
        "large_text": bool(large),
        "offer_large_text": offer_large_text,
    }
