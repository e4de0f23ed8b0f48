"""Issuing, checking, rotating and revoking API credentials.

Secrets are shown once; only their SHA-256 digests are kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connections, router, transaction
from django.http import HttpRequest
from django.utils import timezone

from jianli.accounts import fixed_reads
from jianli.accounts.models import Applicant, Profile
from jianli.api.models import ApiKey, ApiToken, TokenKind
from jianli.audit import events
from jianli.employers.models import EmployerStaff
from jianli.errors import ServiceError
from jianli.registrations.roles import is_review_staff

ACCESS_TTL = dt.timedelta(minutes=15)
REFRESH_TTL = dt.timedelta(days=7)
PROFILE_TTL = dt.timedelta(days=365)
PENDING_TTL = dt.timedelta(minutes=15)

PREFIX = {
    TokenKind.PROFILE: "jlp_",
    TokenKind.PENDING: "jlv_",
    TokenKind.ACCESS: "jla_",
    TokenKind.REFRESH: "jlr_",
}
KEY_PREFIX = "jlk_"
TTL = {
    TokenKind.PROFILE: PROFILE_TTL,
    TokenKind.PENDING: PENDING_TTL,
    TokenKind.ACCESS: ACCESS_TTL,
    TokenKind.REFRESH: REFRESH_TTL,
}


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _ttl(kind: TokenKind) -> dt.timedelta:
    # Deployments (and the contract fuzz run) may shorten or lengthen lifetimes: {"access": seconds, ...}.
    seconds = settings.JIANLI_API_TOKEN_TTL.get(kind.value)
    return dt.timedelta(seconds=seconds) if seconds else TTL[kind]


def _issue(
    kind: TokenKind,
    *,
    profile: Profile | None = None,
    applicant: Applicant | None = None,
    family: uuid.UUID | None = None,
) -> tuple[str, ApiToken]:
    secret = PREFIX[kind] + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        kind=kind,
        digest=digest(secret),
        profile=profile,
        applicant=applicant,
        family=family or uuid.uuid4(),
        expires_at=timezone.now() + _ttl(kind),
    )
    return secret, token


def profile_token_issue(*, profile: Profile) -> str:
    return _issue(TokenKind.PROFILE, profile=profile)[0]


def pending_token_issue(*, applicant: Applicant, profile: Profile | None) -> tuple[str, ApiToken]:
    return _issue(TokenKind.PENDING, applicant=applicant, profile=profile)


@dataclass
class TokenPair:
    access_token: str
    refresh_token: str
    access_expires_at: dt.datetime
    refresh_expires_at: dt.datetime


def token_pair_issue(
    *, applicant: Applicant, profile: Profile | None, family: uuid.UUID | None = None
) -> TokenPair:
    family = family or uuid.uuid4()
    access, a = _issue(TokenKind.ACCESS, applicant=applicant, profile=profile, family=family)
    refresh, r = _issue(TokenKind.REFRESH, applicant=applicant, profile=profile, family=family)
    return TokenPair(access, refresh, a.expires_at, r.expires_at)


_TOKEN_SQL: dict[tuple[str, int], str] = {}


def _live_token_with_owners(token_digest: str, kinds: tuple[TokenKind, ...]) -> ApiToken | None:
    """ApiToken.objects.select_related("profile", "applicant", "applicant__profile").filter(digest=..., kind__in=
    kinds, revoked_at=None, expires_at__gt=now).first(), as a statement written once (fixed_reads): every API
    request reads its token first."""
    using = router.db_for_read(ApiToken)
    connection = connections[using]
    sql = _TOKEN_SQL.get((using, len(kinds)))
    if sql is None:
        qn = connection.ops.quote_name
        col = {m: {f.name: qn(f.column) for f in m._meta.concrete_fields} for m in (ApiToken, Applicant, Profile)}
        t, a, p = col[ApiToken], col[Applicant], col[Profile]
        sql = _TOKEN_SQL[(using, len(kinds))] = (
            f"SELECT {fixed_reads.columns(ApiToken, 't', connection)}, {fixed_reads.columns(Profile, 'p', connection)}, "
            f"{fixed_reads.columns(Applicant, 'a', connection)}, {fixed_reads.columns(Profile, 'ap', connection)} "
            f"FROM {qn(ApiToken._meta.db_table)} t "
            f"LEFT JOIN {qn(Profile._meta.db_table)} p ON p.{p['id']} = t.{t['profile']} "
            f"LEFT JOIN {qn(Applicant._meta.db_table)} a ON a.{a['id']} = t.{t['applicant']} "
            f"LEFT JOIN {qn(Profile._meta.db_table)} ap ON ap.{p['applicant']} = a.{a['id']} "
            f"WHERE t.{t['digest']} = %s AND t.{t['kind']} IN ({', '.join(['%s'] * len(kinds))}) "
            f"AND t.{t['revoked_at']} IS NULL AND t.{t['expires_at']} > %s ORDER BY t.{t['id']} LIMIT 1"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [token_digest, *[str(k) for k in kinds], timezone.now()])
        row = cursor.fetchone()
    if row is None:
        return None
    token, profile, applicant, applicants_profile = fixed_reads.models_of(
        row, [ApiToken, Profile, Applicant, Profile], using, connection)
    ApiToken._meta.get_field("profile").set_cached_value(token, profile)
    ApiToken._meta.get_field("applicant").set_cached_value(token, applicant)
    if applicant is not None:
        fixed_reads.own_profile(applicant, applicants_profile)  # type: ignore[arg-type]
    return token  # type: ignore[return-value]


def token_find(*, secret: str, kinds: tuple[TokenKind, ...]) -> ApiToken | None:
    """The live token of one of `kinds` for this secret, or None."""
    if not any(secret.startswith(PREFIX[k]) for k in kinds) or len(secret) > 100:
        return None
    token = _live_token_with_owners(digest(secret), kinds)
    if token is None or (token.kind == TokenKind.REFRESH and token.used_at is not None):
        return None
    return token


def token_refresh(*, refresh_token: str) -> TokenPair:
    """Rotate: the refresh token is spent and a new pair issued.

    A spent token shown again revokes its whole family.
    """
    invalid = ServiceError("invalid_token", "登录已失效，请重新进行人脸识别。", status=401)
    if not refresh_token.startswith(PREFIX[TokenKind.REFRESH]) or len(refresh_token) > 100:
        raise invalid
    now = timezone.now()
    with transaction.atomic():
        token = (
            ApiToken.objects.select_for_update(of=("self",))
            .select_related("profile", "applicant")
            .filter(digest=digest(refresh_token), kind=TokenKind.REFRESH)
            .first()
        )
        if token is None or token.revoked_at is not None or token.expires_at <= now:
            raise invalid
        if token.used_at is not None:
            ApiToken.objects.filter(family=token.family, revoked_at__isnull=True).update(revoked_at=now)
            replayed = True
        else:
            replayed = False
            token.used_at = now
            token.save(update_fields=["used_at"])
            ApiToken.objects.filter(
                family=token.family, kind=TokenKind.ACCESS, revoked_at__isnull=True
            ).update(revoked_at=now)
    if replayed:
        raise invalid
    assert token.applicant is not None
    return token_pair_issue(applicant=token.applicant, profile=token.profile, family=token.family)


def token_family_revoke(*, token: ApiToken) -> int:
    return ApiToken.objects.filter(family=token.family, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def pending_token_exchange(
    *, token: ApiToken, applicant: Applicant, profile: Profile | None, request: HttpRequest, method: str
) -> TokenPair | None:
    """After a passed face check: the pending token spent for an access/refresh pair and the sign-in audited, in
    one transaction (one commit, not four). None when the pending token was spent (or revoked) already."""
    with transaction.atomic():
        if not ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now()):
            return None
        pair = token_pair_issue(applicant=applicant, profile=profile)
        events.applicant_signed_in(request, applicant.pk, method=method)
    return pair


def scope_role_missing(*, user: User, scope: str) -> str:
    """Why `user` does not hold the role that `scope` needs right now, or "" when it does."""
    kind, _, value = scope.partition(":")
    if kind == "employer":
        held = EmployerStaff.objects.filter(
            user=user, user__is_active=True, employer_id=int(value), employer__is_active=True
        ).exists()
        return "" if held else f"用户 {user.get_username()} 不是该企业的经办人，不具有企业上报权限。"
    return "" if is_review_staff(user) else f"用户 {user.get_username()} 不是部级审查人员，不具有审查权限。"


def api_key_create(*, name: str, scopes: list[str], user: User) -> tuple[str, ApiKey]:
    """A key only for a user who holds, now, the role behind every scope; each call checks it again."""
    for scope in scopes:
        kind, _, value = scope.partition(":")
        if not ((kind == "employer" and value.isdigit() and len(value) <= 12)
                or scope in ("ministry:review", "ministry:decide")):
            raise ServiceError("invalid_scope", f"未知的权限范围：{scope}")
    for scope in scopes:
        missing = scope_role_missing(user=user, scope=scope)
        if missing:
            raise ServiceError("forbidden", missing, status=403)
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        name=name, prefix=secret[:12], digest=digest(secret), scopes=scopes, user=user
    )
    events.api_key_changed(None, key, "created")
    return secret, key


def api_key_revoke(*, prefix: str) -> int:
    now = timezone.now()
    keys = list(ApiKey.objects.filter(prefix=prefix, revoked_at__isnull=True))
    for key in keys:
        key.revoked_at = now
        key.save(update_fields=["revoked_at"])
        events.api_key_changed(None, key, "revoked")
    return len(keys)


def api_key_find(*, secret: str) -> ApiKey | None:
    if not secret.startswith(KEY_PREFIX) or len(secret) > 100:
        return None
    key = ApiKey.objects.select_related("user").filter(digest=digest(secret), revoked_at__isnull=True).first()
    if key is None or not key.user.is_active:
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > dt.timedelta(minutes=5):
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key
