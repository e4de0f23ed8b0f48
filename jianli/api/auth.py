"""Who is calling: a platform user (profile token), someone between check and face verification (pending
token), a signed-in applicant (access token), or an integration (API key with scopes)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyHeader, HttpBearer

from jianli import ratelimit
from jianli.accounts.models import Applicant, Profile
from jianli.api import credentials
from jianli.api.models import ApiKey, ApiToken, TokenKind
from jianli.http import JianliRequest


@dataclass
class Caller:
    token: ApiToken
    profile: Profile | None
    applicant: Applicant | None

    @property
    def principal(self) -> str:
        if self.applicant is not None:
            return f"applicant:{self.applicant.pk}"
        return f"profile:{self.profile.pk if self.profile else 0}"


class _TokenAuth(HttpBearer):
    kinds: tuple[TokenKind, ...] = ()

    def authenticate(self, request: HttpRequest, token: str) -> Caller | None:
        found = credentials.token_find(secret=token, kinds=self.kinds)
        if found is None:
            return None
        profile = found.profile
        if profile is None and found.applicant is not None:
            profile = getattr(found.applicant, "profile", None)
        caller = Caller(found, profile, found.applicant if found.kind == TokenKind.ACCESS else None)
        # The audit log names the applicant behind the request, as it does for the pages.
        jianli_request = cast(JianliRequest, request)  # ninja's signature says HttpRequest: the same object
        jianli_request.applicant = caller.applicant
        jianli_request.profile = profile
        return caller


class ProfileAuth(_TokenAuth):
    """The platform user: the token from 设置头像和昵称, or a signed-in applicant's access token."""

    kinds = (TokenKind.PROFILE, TokenKind.ACCESS)


class PendingAuth(_TokenAuth):
    """Passed the registered-user check or registered; face verification comes next."""

    kinds = (TokenKind.PENDING,)


class ApplicantAuth(_TokenAuth):
    kinds = (TokenKind.ACCESS,)


class KeyAuth(APIKeyHeader):
    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> ApiKey | None:
        if not key:
            return None
        found = credentials.api_key_find(secret=key)
        if found is not None:
            # Per key, not per address: an integration's servers share one budget wherever they call from.
            ratelimit.enforce(
                "api-key", str(found.pk), (settings.JIANLI_RATE_API_KEY_PER_MINUTE, 60),
                "接口调用过于频繁，请稍后再试。",
            )
            request.user = found.user
        return found


profile_auth = ProfileAuth()
pending_auth = PendingAuth()
applicant_auth = ApplicantAuth()
key_auth = KeyAuth()
