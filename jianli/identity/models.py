from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone


class Reason(models.TextChoices):
    """Why a face verification did not pass; each has a message and what to try (see messages.py)."""

    NO_FACE = "no_face", "未检测到人脸"
    MULTIPLE_FACES = "multiple_faces", "检测到多张人脸"
    FACE_TOO_SMALL = "face_too_small", "人脸太小"
    TOO_DARK = "too_dark", "光线太暗"
    NO_MATCH = "no_match", "与证件照不是同一人"
    NOT_LIVE = "not_live", "未通过活体检测"
    TIMEOUT = "timeout", "识别超时"
    UNAVAILABLE = "unavailable", "服务暂不可用"
    MISMATCHED_IDENTITY = "mismatched_identity", "身份信息不一致"
    EXPIRED = "expired", "识别已过期"
    CANCELLED = "cancelled", "已取消"


def new_public_id() -> str:
    return secrets.token_urlsafe(18)


class Consent(models.Model):
    """The applicant's separate consent to processing of facial data, with the text version agreed to."""

    profile = models.ForeignKey("accounts.Profile", null=True, on_delete=models.SET_NULL, related_name="+")
    applicant = models.ForeignKey("accounts.Applicant", null=True, on_delete=models.CASCADE, related_name="+")
    text_version = models.CharField(max_length=20)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "人脸识别授权"

    def __str__(self) -> str:
        return f"授权 {self.text_version} {self.created_at:%Y-%m-%d %H:%M}"


class FaceVerification(models.Model):
    """One attempt. Only the outcome is kept: never an image or an embedding."""

    class Status(models.TextChoices):
        PENDING = "pending", "进行中"
        PASSED = "passed", "已通过"
        FAILED = "failed", "未通过"

    class Purpose(models.TextChoices):
        SIGN_IN = "sign_in", "登录"
        PHOTO_CHANGE = "photo_change", "更换证件照"

    # Not a column: what the hourly limit leaves once this attempt is judged, counted under the claim's lock
    # (services.verification_finish sets it, so the answer needs no second count).
    attempts_left: int = 0

    applicant = models.ForeignKey("accounts.Applicant", on_delete=models.CASCADE, related_name="face_attempts")
    # What clients name the attempt by: random, so that an id cannot be guessed or counted up to.
    public_id = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)
    # SHA-256 of the pending credential (web session secret, API token) that started it: only it may finish.
    credential = models.CharField(max_length=64, blank=True, editable=False)
    # The platform user holding the phone: WeChat verifies the face of that user's openid.
    profile = models.ForeignKey(
        "accounts.Profile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    provider = models.CharField(max_length=20)
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.SIGN_IN)
    nonce = models.CharField(max_length=64, unique=True)
    token = models.CharField("BizToken / verify_id", max_length=300, blank=True, db_index=True)
    challenge = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(max_length=30, choices=Reason.choices, blank=True)
    score = models.FloatField(null=True, blank=True)
    request_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    # Set by the one finish that gets to evaluate it (a compare-and-set): a second finish is refused.
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "人脸识别记录"
        indexes = [models.Index(fields=["applicant", "created_at"], name="face_attempts_hour")]

    # For PHOTO_CHANGE: the new 证件照 the frames are compared with. Set on the instance for one request only
    # (services.py holds it encrypted in the cache in between); never a column.
    candidate: bytes | None = None

    def __str__(self) -> str:
        return f"{self.provider} {self.get_status_display()} {self.created_at:%Y-%m-%d %H:%M}"
