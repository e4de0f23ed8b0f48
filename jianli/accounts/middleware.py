from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.http import HttpRequest, HttpResponse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware as DjangoOTPMiddleware
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from jianli.accounts import fixed_reads, session
from jianli.accounts.models import Applicant, Profile
from jianli.http import JianliRequest


def _load(request: HttpRequest) -> tuple[Profile | None, Applicant | None]:
    """The signed-in applicant with their profile in one query (a signed-in session's profile is theirs)."""
    profile_id = request.session.get("profile_id")
    applicant_id = request.session.get("applicant_id")
    applicant = fixed_reads.applicant_with_profile(applicant_id) if applicant_id else None
    profile = getattr(applicant, "profile", None) if applicant is not None else None
    if profile_id and (profile is None or profile.pk != profile_id):
        profile = Profile.objects.filter(pk=profile_id).first()
    return profile, applicant


DEVICE_COOKIE = "jianli_device"
DEVICE_SALT = "jianli.profile"
DEVICE_MAX_AGE = 365 * 24 * 3600


class ApplicantMiddleware:
    """Puts `request.profile` (first use done) and `request.applicant` (face-verified, signed in) on requests.

    Like the WeChat user it stands in for, the platform profile (头像, 昵称) outlives a session: a signed cookie
    remembers it on this device, so a returning visitor is not asked for a nickname again. It opens nothing
    personal: signing in still takes face verification.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: JianliRequest) -> HttpResponse:
        if "profile_id" not in request.session:
            remembered = request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_SALT,
                                                   max_age=DEVICE_MAX_AGE)
            if remembered and remembered.isdigit():
                request.session["profile_id"] = int(remembered)
        request.profile, request.applicant = _load(request)
        response = self.get_response(request)
        profile_id = request.session.get("profile_id") if hasattr(request, "session") else None
        if profile_id and request.COOKIES.get(DEVICE_COOKIE, "").split(":")[0] != str(profile_id):
            response.set_signed_cookie(
                DEVICE_COOKIE, str(profile_id), salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE, httponly=True,
                samesite="Lax", secure=settings.SESSION_COOKIE_SECURE,
            )
        return response


TOUCHED = "touched_at"


def touch_interval() -> int:
    """How stale a session's idle expiry may get before a request writes it again: a minute, or a tenth of a
    short idle timeout (tests set a few seconds)."""
    return min(settings.JIANLI_SESSION_TOUCH_SECONDS, settings.SESSION_COOKIE_AGE // 10)


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, renewing the idle expiry (and the cookie) at most once per touch_interval() instead of writing
    the session on every request: a page view reads the session and writes nothing (no row update, no WAL
    flush) unless something in it changed or its expiry is a minute old."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        store = getattr(request, "session", None)
        if store is not None and (store.modified or store.accessed) and not store.is_empty():
            now = int(time.time())
            if store.modified or now - store.get(TOUCHED, 0) >= touch_interval():
                store[TOUCHED] = now
        return super().process_response(request, response)


class SessionLifetimeMiddleware:
    """Ends a signed-in session (applicant or staff) JIANLI_SESSION_ABSOLUTE_SECONDS after sign-in, however
    active it stayed: the idle timeout alone lets a session that is used every few minutes live for ever."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: JianliRequest) -> HttpResponse:
        store = request.session
        if "applicant_id" in store or "_auth_user_id" in store:
            started = store.get(session.STARTED)
            if started is None:  # signed in some other way (the operators' admin)
                session.mark_signed_in(request)
            elif time.time() - started > settings.JIANLI_SESSION_ABSOLUTE_SECONDS:
                store.flush()
        return self.get_response(request)


class OTPMiddleware(DjangoOTPMiddleware):
    """django-otp's, the session's device taken from those StaffBackend read with the user (no query of its
    own) when it is one of them; django-otp's checks (the device is the user's, confirmed) apply as before."""

    def _verify_user_sync(self, request: Any, user: Any) -> Any:
        self._init_user_fields(user)
        if user.is_authenticated:
            persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
            device = self._device(user, persistent_id) if persistent_id else None
            user.otp_device = self._finalize_device(request, user, device)
        return user

    def _device(self, user: Any, persistent_id: str) -> Device | None:
        known = getattr(user, fixed_reads.DEVICES, None)
        if known is not None:
            model, _, pk = self._normalize_persistent_id(persistent_id).rpartition("/")
            if model == TOTPDevice.model_label() and pk.isdigit():
                return known.get(int(pk))
        return self._device_from_persistent_id(persistent_id)
