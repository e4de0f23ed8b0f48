"""The applicant's web session: who is pending face verification, who is signed in."""

from __future__ import annotations

import secrets
import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest

from jianli.accounts.models import Applicant, Profile

STARTED = "signed_in_at"


def mark_signed_in(request: HttpRequest) -> None:
    """Starts the absolute lifetime (JIANLI_SESSION_ABSOLUTE_SECONDS) of a signed-in session."""
    request.session[STARTED] = int(time.time())


def seconds_left(request: HttpRequest) -> int:
    """How long this signed-in session lives without another request: the idle timeout, or less when the
    absolute lifetime ends first."""
    started = request.session.get(STARTED) or int(time.time())
    absolute = settings.JIANLI_SESSION_ABSOLUTE_SECONDS - (int(time.time()) - int(started))
    return max(0, min(settings.SESSION_COOKIE_AGE, absolute))


def remember_profile(request: HttpRequest, profile: Profile) -> None:
    request.session["profile_id"] = profile.pk


def set_pending(request: HttpRequest, applicant: Applicant) -> None:
    """Passed the registered-user check or registered: face verification comes next."""
    request.session["pending_applicant_id"] = applicant.pk
    # A fresh credential for face checks: its own limit starts again only after this check (rate-limited).
    request.session.pop("face_credential", None)


def pending_applicant(request: HttpRequest) -> Applicant | None:
    pk = request.session.get("pending_applicant_id")
    return Applicant.objects.filter(pk=pk).first() if pk else None


def face_credential(request: HttpRequest) -> str:
    """This session's secret for face checks: a verification is finished only by the session that started it."""
    secret = request.session.get("face_credential")
    if not secret:
        secret = request.session["face_credential"] = secrets.token_urlsafe(32)
    return str(secret)


def sign_in(request: HttpRequest, applicant: Applicant) -> None:
    profile_id = request.session.get("profile_id")
    large_text = request.session.get("large_text")
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        logout(request)
    request.session.cycle_key()
    # The pending credential is spent: the passed verification cannot be finished or started on again.
    for key in ("pending_applicant_id", "face_credential", "face_verification_id"):
        request.session.pop(key, None)
    request.session["applicant_id"] = applicant.pk
    mark_signed_in(request)
    profile = getattr(applicant, "profile", None)
    request.session["profile_id"] = profile.pk if profile else profile_id
    if large_text is not None:
        request.session["large_text"] = large_text


def sign_out(request: HttpRequest) -> None:
    request.session.flush()
