"""Secrets, debug and demo, sign-in, sessions and the security headers."""

from __future__ import annotations

import base64
import hashlib
import secrets

from jianli.settings.env import envbool, envint, envstr, local_key


def _legacy_lookup_key(ring_spec: str) -> str:
    """The hash key earlier versions derived from the ring's last key, so an existing var/ keeps finding its people."""
    b64 = ring_spec.split(",")[-1].partition(":")[2].strip()
    last = base64.urlsafe_b64decode(b64 + "=" * (-len(b64) % 4))
    return base64.urlsafe_b64encode(hashlib.sha256(b"jianli-lookup:" + last).digest()).decode()


# Secrets given by the operator; with debug off, nothing is generated and a missing one stops the start.
_GIVEN = {name for name in ("JIANLI_SECRET_KEY", "JIANLI_PII_KEY") if envstr(name)}
# This is the production service: debug, demo banners and the fake face provider are refused outright.
JIANLI_PRODUCTION = envbool("JIANLI_PRODUCTION", False)
DEBUG = envbool("JIANLI_DEBUG", default="JIANLI_SECRET_KEY" not in _GIVEN and not JIANLI_PRODUCTION)
# The embedded demo: demo banners (SMS code shown on the page) and demo data.
DEMO = envbool("JIANLI_DEMO", default=DEBUG)

SECRET_KEY = envstr("JIANLI_SECRET_KEY") or (local_key("secret.key", secrets.token_urlsafe(50)) if DEBUG else "")
# Key ring for personal data: "kid:base64key[,kid:base64key...]"; the first encrypts, all decrypt.
PII_KEYS = envstr("JIANLI_PII_KEY") or (
    local_key("pii.key", "k1:" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()) if DEBUG else ""
)
# The key of lookup hashes (id_hash, mobile_hash, rate-limit keys): never rotated with PII_KEYS. Only the demo
# and tests fall back to a local file.
PII_LOOKUP_KEY = envstr("JIANLI_PII_LOOKUP_KEY")
if not PII_LOOKUP_KEY and (DEBUG or DEMO) and PII_KEYS:
    PII_LOOKUP_KEY = local_key("pii-lookup.key", _legacy_lookup_key(PII_KEYS))
ALLOWED_HOSTS = [h for h in envstr("JIANLI_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in envstr("JIANLI_CSRF_TRUSTED_ORIGINS").split(",") if o]
SITE_URL = envstr("JIANLI_SITE_URL", "http://127.0.0.1:8000")

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, the session's user read in one statement with their groups, flags and devices.
    "jianli.accounts.backends.StaffBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The admin of TOTP devices never shows a secret or its QR code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
AXES_FAILURE_LIMIT = envint("JIANLI_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "base/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "jianli.net.client_ip"
AXES_USERNAME_CALLABLE = "jianli.text.axes_username"
# Our own proxies in front of the app servers (load balancer, ingress); each appends to X-Forwarded-For.
# 0: the header is ignored and the connecting address is the client's.
JIANLI_TRUSTED_PROXY_COUNT = envint("JIANLI_TRUSTED_PROXY_COUNT", 0)

# Database sessions, read without building the query anew on every page; with Redis, read from the cache first.
SESSION_ENGINE = "jianli.accounts.session_store_cached" if envstr("REDIS_URL") else "jianli.accounts.session_store"
# Applicants are signed out after 30 idle minutes; a request renews the session when its expiry is more than
# JIANLI_SESSION_TOUCH_SECONDS old (jianli.accounts.middleware.SessionMiddleware), not on every page view.
SESSION_COOKIE_AGE = envint("JIANLI_SESSION_IDLE_SECONDS", 30 * 60)
JIANLI_SESSION_TOUCH_SECONDS = envint("JIANLI_SESSION_TOUCH_SECONDS", 60)
# However active, a signed-in session ends this long after sign-in (applicants and staff sign in again).
JIANLI_SESSION_ABSOLUTE_SECONDS = envint("JIANLI_SESSION_ABSOLUTE_SECONDS", 12 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envbool("JIANLI_BEHIND_PROXY", False) else None
SECURE_HSTS_SECONDS = 0 if DEBUG else envint("JIANLI_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = envbool("JIANLI_HSTS_PRELOAD", True)
# Plain HTTP is answered with a redirect to HTTPS (behind a proxy, JIANLI_BEHIND_PROXY tells which is which).
SECURE_SSL_REDIRECT = envbool("JIANLI_SSL_REDIRECT", not DEBUG)
X_FRAME_OPTIONS = "DENY"
LOGIN_URL = "office:login"
CSRF_FAILURE_VIEW = "jianli.portal.views.csrf_failure"

# The Content-Security-Policy header (jianli.middleware.ResponseHeadersMiddleware): nothing inline, nothing framed.
CONTENT_SECURITY_POLICY = "; ".join(
    f"{directive} {sources}"
    for directive, sources in {
        "default-src": "'self'",
        "img-src": "'self' data: blob:",
        "media-src": "'self' blob:",
        "script-src": "'self'",
        "style-src": "'self'",
        "connect-src": "'self'",
        "frame-ancestors": "'none'",
        "form-action": "'self'",
        "base-uri": "'self'",
        "object-src": "'none'",
    }.items()
)
