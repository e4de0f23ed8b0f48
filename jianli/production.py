"""What the service refuses to start without when debug is off, and what a production service may not enable.

Checked once, when the settings load (the end of jianli/settings/__init__.py), so a misconfigured server exits at start
instead of falling back to something unsafe. Each refusal names the variable to set. Pure: it reads the settings
module's values and imports nothing of Django's, so it can run before the apps load.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

# SMS "providers" that deliver nothing: the code only reaches the log (or the page, in the demo).
NOT_REAL_SMS_PROVIDERS = frozenset({"console", "demo"})
# The gateways jianli/notifications/vendors.py speaks (JIANLI_SMS_SECRET_ID and the rest, in the README).
REAL_SMS_PROVIDERS = frozenset({"tencent", "aliyun"})
# Caches every app server and worker shares: SMS codes, rate limits and the photo change must be seen by all.
SHARED_CACHES = frozenset({
    "django.core.cache.backends.redis.RedisCache",
    "jianli.redis_cache.RedisCache",
    "django.core.cache.backends.db.DatabaseCache",
})


def refusals(s: Mapping[str, Any], given: Collection[str]) -> list[str]:
    """Why these settings may not run; `given` names the secrets set explicitly (not generated into var/)."""
    problems: list[str] = []
    if not s["DEBUG"]:
        if "JIANLI_SECRET_KEY" not in given:
            problems.append("JIANLI_SECRET_KEY must be set (a long random string) when debug is off")
        if "JIANLI_PII_KEY" not in given:
            problems.append("JIANLI_PII_KEY must be set (the key ring for personal data) when debug is off")
        if s["CACHES"]["default"]["BACKEND"] not in SHARED_CACHES:
            problems.append(
                "REDIS_URL (or JIANLI_CACHE=database) must be set when debug is off: a per-process cache "
                "breaks SMS codes, rate limits and the photo change across workers"
            )
        if s["JIANLI_SMS_PROVIDER"] in NOT_REAL_SMS_PROVIDERS:
            problems.append(
                f"JIANLI_SMS_PROVIDER must name a real SMS gateway when debug is off, not {s['JIANLI_SMS_PROVIDER']!r}"
            )
        elif s["JIANLI_SMS_PROVIDER"] not in REAL_SMS_PROVIDERS:
            problems.append(f"JIANLI_SMS_PROVIDER must be one of {', '.join(sorted(REAL_SMS_PROVIDERS))}")
        if s["JIANLI_FACE_PROVIDER"] == "fake" and not s["JIANLI_FACE_ALLOW_FAKE"]:
            problems.append("JIANLI_FACE_PROVIDER=fake is for tests and demos; set JIANLI_FACE_ALLOW_FAKE=1")
    if not s["PII_LOOKUP_KEY"]:
        problems.append(
            "JIANLI_PII_LOOKUP_KEY must be set when debug and demo mode are off (32 random bytes, URL-safe base64; "
            "keep it for the life of the data: lookups of ID numbers and mobiles depend on it)"
        )
    if s["JIANLI_PRODUCTION"]:
        for name, on in (
            ("JIANLI_DEBUG", s["DEBUG"]),
            ("JIANLI_DEMO", s["DEMO"]),
            ("JIANLI_FACE_ALLOW_FAKE", s["JIANLI_FACE_ALLOW_FAKE"]),
        ):
            if on:
                problems.append(f"{name} cannot be on in production (JIANLI_PRODUCTION=1)")
        if "fake" in (s["JIANLI_FACE_PROVIDER"], *s["JIANLI_FACE_API_PROVIDERS"]):
            problems.append("JIANLI_FACE_PROVIDER / JIANLI_FACE_API_PROVIDERS cannot be fake in production")
    return problems
