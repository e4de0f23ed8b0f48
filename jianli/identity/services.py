"""Face verification as the service sees it: start an attempt, finish it, limit attempts, keep only outcomes."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from jianli import pii, ratelimit, text
from jianli.accounts.models import Applicant, Profile
from jianli.audit import events
from jianli.errors import ServiceError
from jianli.identity.models import Consent, FaceVerification, Reason
from jianli.identity.providers import FaceError, Started, get_provider
from jianli.ops import metrics

CONSENT_VERSION = "2026-11"
ATTEMPT_TTL = dt.timedelta(minutes=10)
CANDIDATE_PURPOSE = "face.candidate_photo"

ADVICE = {
    Reason.NO_FACE: "请正对摄像头，确保整张脸在取景框内，光线充足。",
    Reason.MULTIPLE_FACES: "请确保画面中只有您一个人。",
    Reason.FACE_TOO_SMALL: "请靠近摄像头，让脸部占满取景框的大部分。",
    Reason.TOO_DARK: "请到光线明亮的地方，避免背光。",
    Reason.NO_MATCH: "请本人操作；如证件照不清晰或已过时，请在“信息修改”中更换证件照。",
    Reason.NOT_LIVE: "请按屏幕提示转动头部；不能使用照片或视频。",
    Reason.TIMEOUT: "识别超时，请重试。",
    Reason.UNAVAILABLE: "人脸识别服务暂时不可用，请稍后重试，或拨打联系电话办理。",
    Reason.MISMATCHED_IDENTITY: "识别结果与您登记的姓名、身份证号码不一致，请本人操作。",
    Reason.EXPIRED: "本次识别已过期，请重新开始。",
    Reason.CANCELLED: "您已取消识别，可重新开始。",
}


def advice(reason: str) -> str:
    """What to try after a failure with this reason code."""
    return ADVICE.get(Reason(reason), "识别未通过，请重试。") if reason in Reason.values else "识别未通过，请重试。"


LOCKED = "您在1小时内人脸识别失败已达上限，请稍后再试，或携带身份证件到服务窗口现场核验。"
CREDENTIAL_LIMITED = "本次人脸识别尝试次数过多，请返回重新核对姓名和身份证号码后再试，或携带身份证件到服务窗口现场核验。"
ADDRESS_LIMITED = "当前网络人脸识别尝试过于频繁，请稍后再试，或携带身份证件到服务窗口现场核验。"


def _attempts_counted(applicant: Applicant) -> QuerySet[FaceVerification]:
    """What the hourly limit counts: checks judged in the last hour that failed, and any being judged right now.

    An attempt never judged (superseded, expired, refused) does not count; 现场核验 starts the count afresh.
    """
    since = timezone.now() - dt.timedelta(hours=1)
    if applicant.verified_in_person_at and applicant.verified_in_person_at > since:
        since = applicant.verified_in_person_at
    return FaceVerification.objects.filter(
        applicant=applicant,
        claimed_at__gte=since,
        status__in=[FaceVerification.Status.FAILED, FaceVerification.Status.PENDING],
    )


def attempts_left(applicant: Applicant) -> int:
    return max(0, settings.JIANLI_FACE_ATTEMPTS_PER_HOUR - _attempts_counted(applicant).count())


def locked_until(applicant: Applicant) -> dt.datetime | None:
    """When the hourly lock ends: an hour after the oldest judged failure that still counts."""
    if attempts_left(applicant) > 0:
        return None
    counted = _attempts_counted(applicant).order_by("-claimed_at")[: settings.JIANLI_FACE_ATTEMPTS_PER_HOUR]
    oldest = list(counted)[-1].claimed_at
    assert oldest is not None
    return oldest + dt.timedelta(hours=1)


def _limits_before_the_applicants(
    stage: str, *, credential: str, request: HttpRequest | None, per_address: tuple[int, int],
    per_credential: tuple[int, int],
) -> None:
    """Per address, then per credential: whoever tries someone else's face pays here before the victim does."""
    if request is not None:
        ratelimit.enforce(f"face-{stage}-address", ratelimit.client_address(request), per_address, ADDRESS_LIMITED)
    ratelimit.enforce(f"face-{stage}-credential", credential_digest(credential), per_credential, CREDENTIAL_LIMITED)


def verified_in_person_recently(applicant: Applicant) -> bool:
    days = settings.JIANLI_FACE_IN_PERSON_DAYS
    at = applicant.verified_in_person_at
    return at is not None and at >= timezone.now() - dt.timedelta(days=days)


def applicant_verify_in_person(
    *, applicant: Applicant, by_user: Any, reason: str, request: HttpRequest | None = None
) -> Applicant:
    """现场核验: staff saw the applicant and the ID card at the counter.

    It lifts the face lock at once (failures before it no longer count) and is shown to reviewers. It does not
    sign anyone in: the online way in stays face verification, the counter handles the rest on paper.
    """
    reason = text.check(" ".join((reason or "").split()), field="reason", label="现场核验说明")
    if not reason:
        raise ServiceError("reason", "请填写现场核验说明", fields={"reason": "请填写现场核验说明"}, status=422)
    now = timezone.now()
    label = by_user.get_username() if by_user is not None else "system"
    Applicant.objects.filter(pk=applicant.pk).update(
        verified_in_person_at=now, verified_in_person_note=f"{reason} ({label})"[:200]
    )
    applicant.refresh_from_db()
    events.verified_in_person(request, applicant.pk, reason, by_user=by_user)
    return applicant


def consent_record(*, applicant: Applicant | None, profile_id: int | None) -> Consent:
    return Consent.objects.create(applicant=applicant, profile_id=profile_id, text_version=CONSENT_VERSION)


def _candidate_key(verification: FaceVerification) -> str:
    return f"face:candidate:{verification.nonce}"


def _candidate_pop(verification: FaceVerification) -> bytes | None:
    """The new 证件照 of a PHOTO_CHANGE attempt, removed from the cache: one check per upload."""
    key = _candidate_key(verification)
    sealed = cache.get(key)
    cache.delete(key)
    return pii.decrypt_bytes(sealed, CANDIDATE_PURPOSE) if sealed else None


def credential_digest(credential: str) -> str:
    return hashlib.sha256(credential.encode()).hexdigest()


def verification_start(
    *,
    applicant: Applicant,
    credential: str,
    provider: str | None = None,
    purpose: str = FaceVerification.Purpose.SIGN_IN,
    candidate: bytes | None = None,
    request: HttpRequest | None = None,
    profile: Profile | None = None,
) -> tuple[FaceVerification, Started]:
    """Start an attempt that only `credential` (the caller's pending web session secret or API token) can finish.

    For PHOTO_CHANGE the frames will be compared with `candidate` (the new 证件照), which is kept only encrypted in
    the cache until the attempt finishes or expires (ATTEMPT_TTL), never on disk.
    The applicant has one pending attempt at a time: this one supersedes any other not yet being judged.
    """
    if not credential:
        raise ValueError("a face verification is started with a credential")
    _limits_before_the_applicants(
        "start", credential=credential, request=request,
        per_address=settings.JIANLI_RATE_FACE_START_PER_ADDRESS,
        per_credential=settings.JIANLI_RATE_FACE_START_PER_CREDENTIAL,
    )
    if attempts_left(applicant) <= 0:
        raise ServiceError("face_locked", LOCKED, status=429)
    face = get_provider(provider)
    photo_change = purpose == FaceVerification.Purpose.PHOTO_CHANGE
    if photo_change and not candidate:
        raise ServiceError("invalid", "请上传新的证件照", fields={"id_photo": "请上传新的证件照"}, status=422)
    if photo_change and not face.compares_candidate:
        raise ServiceError(
            "invalid", "该识别方式不支持更换证件照", fields={"provider": "该识别方式不支持更换证件照"}, status=422
        )
    verification = FaceVerification(
        applicant=applicant,
        provider=face.name,
        purpose=purpose,
        nonce=secrets.token_urlsafe(24),
        credential=credential_digest(credential),
        profile=profile,
        expires_at=timezone.now() + ATTEMPT_TTL,
    )
    verification.candidate = candidate if photo_change else None
    try:
        started = face.start(verification)
    except FaceError as e:
        verification.status = FaceVerification.Status.FAILED
        verification.reason = e.reason
        verification.finished_at = timezone.now()
        verification.save()
        raise
    verification.token = started.token
    verification.challenge = started.challenge
    with transaction.atomic():
        Applicant.objects.select_for_update().filter(pk=applicant.pk).first()
        older = FaceVerification.objects.filter(
            applicant=applicant, status=FaceVerification.Status.PENDING, claimed_at__isnull=True
        )
        superseded = list(older)
        older.update(status=FaceVerification.Status.FAILED, reason=Reason.CANCELLED, finished_at=timezone.now())
        verification.save()
    for old in superseded:
        _candidate_pop(old)
    if photo_change:
        assert candidate is not None
        cache.set(
            _candidate_key(verification),
            pii.encrypt_bytes(candidate, CANDIDATE_PURPOSE),
            int(ATTEMPT_TTL.total_seconds()),
        )
    verification.candidate = None
    return verification, started


def verification_for(*, public_id: str, applicant: Applicant | None, purpose: str) -> FaceVerification:
    """The caller's attempt by the id the client was given, or a 404: never another applicant's."""
    found = (
        FaceVerification.objects.filter(public_id=public_id, applicant=applicant, purpose=purpose).first()
        if applicant is not None and public_id and len(public_id) <= 32
        else None
    )
    if found is None:
        raise ServiceError("not_found", "未找到该次人脸识别，请重新开始。", status=404)
    return found


FINISHED = "本次人脸识别已结束，请重新开始。"


def _claim(verification: FaceVerification, credential: str, now: dt.datetime) -> FaceVerification:
    """Make this call the one that evaluates the attempt, or refuse: wrong credential, finished, expired."""
    with transaction.atomic():
        # The applicant's row is the lock under which attempts are counted and one is claimed.
        applicant = Applicant.objects.select_for_update().get(pk=verification.applicant_id)
        row = FaceVerification.objects.select_for_update().get(pk=verification.pk)
        if row.status != FaceVerification.Status.PENDING or row.claimed_at is not None:
            raise ServiceError("finished", FINISHED, status=409)
        if not row.credential or not hmac.compare_digest(row.credential, credential_digest(credential)):
            raise ServiceError("not_yours", "本次人脸识别不是在当前页面发起的，请重新开始。", status=403)
        if now > row.expires_at:
            expired = True
        else:
            expired = False
            row.attempts_left = attempts_left(applicant)
            if row.attempts_left <= 0:
                raise ServiceError("face_locked", LOCKED, status=429)
            # The compare-and-set: of two finishes at once, one evaluates, the other is refused.
            if not FaceVerification.objects.filter(
                pk=row.pk, status=FaceVerification.Status.PENDING, claimed_at__isnull=True
            ).update(claimed_at=now):
                raise ServiceError("finished", FINISHED, status=409)
            row.claimed_at = now
            row.applicant = applicant  # as read under the lock: the check uses its stored photo embedding
    if expired:
        FaceVerification.objects.filter(pk=row.pk, status=FaceVerification.Status.PENDING).update(
            status=FaceVerification.Status.FAILED, reason=Reason.EXPIRED, finished_at=now
        )
        _candidate_pop(row)
        raise ServiceError("expired", ADVICE[Reason.EXPIRED], status=409)
    return row


def verification_finish(
    *,
    verification: FaceVerification,
    credential: str,
    payload: dict[str, Any],
    request: HttpRequest | None = None,
) -> FaceVerification:
    """Run the provider's check once and record only its outcome.

    Only a pending, unexpired attempt started with `credential` is evaluated, and only by one call: any other
    finish is a ServiceError (403 another credential's, 409 finished or expired). So a returned PASSED is the
    passing of this very call, and the caller may sign in or issue tokens on it.
    A passed PHOTO_CHANGE attempt makes its candidate the applicant's 证件照; either way the candidate is gone.
    """
    _limits_before_the_applicants(
        "finish", credential=credential, request=request,
        per_address=settings.JIANLI_RATE_FACE_FINISH_PER_ADDRESS,
        per_credential=settings.JIANLI_RATE_FACE_FINISH_PER_CREDENTIAL,
    )
    now = timezone.now()
    verification = _claim(verification, credential, now)
    photo_change = verification.purpose == FaceVerification.Purpose.PHOTO_CHANGE
    if photo_change:
        verification.candidate = _candidate_pop(verification)
    # The provider may call out over the network: no row lock is held meanwhile.
    try:
        if photo_change and not verification.candidate:
            raise FaceError(Reason.EXPIRED)
        passed = get_provider(verification.provider).finish(verification, payload)
        status, reason, score, request_id = FaceVerification.Status.PASSED, "", passed.score, passed.request_id
    except FaceError as e:
        status, reason, score, request_id = FaceVerification.Status.FAILED, e.reason, e.score, e.request_id
    candidate, verification.candidate = verification.candidate, None
    outcome: dict[str, Any] = {"status": status, "reason": reason, "score": score, "request_id": request_id[:100]}
    with transaction.atomic():
        # Locks in the order of _claim (applicant, then attempt): a second finish waiting there cannot deadlock us.
        Applicant.objects.select_for_update().filter(pk=verification.applicant_id).values_list("pk").first()
        outcome["finished_at"] = timezone.now()
        updated = FaceVerification.objects.filter(
            pk=verification.pk, status=FaceVerification.Status.PENDING
        ).update(**outcome)
        if updated and photo_change and status == FaceVerification.Status.PASSED:
            assert candidate is not None
            applicant = Applicant.objects.get(pk=verification.applicant_id)
            applicant.set_id_photo(candidate)
            applicant.save()
            verification.applicant = applicant
            events.profile_changed(request, applicant.pk, ["id_photo"])
        if updated:
            events.face_verification_attempted(
                request, verification.applicant_id, verification.provider, status, reason, verification.purpose
            )
    del candidate
    if not updated:
        raise ServiceError("finished", FINISHED, status=409)
    for field, value in outcome.items():  # what the row now holds: no need to read it back
        setattr(verification, field, value)
    if status == FaceVerification.Status.FAILED:  # a judged failure counts against the hour; a pass does not
        verification.attempts_left = max(0, verification.attempts_left - 1)
    metrics.face_checks.labels(outcome=status, provider=verification.provider).inc()
    return verification
