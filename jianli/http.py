"""The request as Jianli's middleware and the API's authentication leave it.

Views and helpers that read who is signed in annotate `request: JianliRequest`; Django and django-ninja pass the
very HttpRequest they built, to which `jianli.accounts.middleware.ApplicantMiddleware` (pages) or
`jianli.api.auth` (API) added these attributes.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from jianli.accounts.models import Applicant, Profile


class JianliRequest(HttpRequest):
    applicant: Applicant | None  # signed in: registered and face-verified in this session
    profile: Profile | None  # the platform user (头像, 昵称), first use done
    request_id: str  # ties the log lines and audit rows of one request together
    auth: Any  # django-ninja: what the API's authentication returned (a Caller, a credential)


def signed_in_applicant(request: JianliRequest) -> Applicant:
    """The applicant of a view behind `applicant_required` (which redirects everyone else)."""
    if request.applicant is None:
        raise PermissionDenied("not signed in")
    return request.applicant


def platform_profile(request: JianliRequest) -> Profile:
    """The platform user of a view behind `profile_required` (which redirects everyone else)."""
    if request.profile is None:
        raise PermissionDenied("no profile")
    return request.profile
