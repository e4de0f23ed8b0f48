"""Credentials of the JSON API and its idempotency records. Only hashes of secrets are stored."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class TokenKind(models.TextChoices):
    PROFILE = "profile", "平台用户凭证"
    PENDING = "pending", "待人脸识别凭证"
    ACCESS = "access", "访问令牌"
    REFRESH = "refresh", "刷新令牌"


class ApiToken(models.Model):
    """A bearer token of the mini program. Access and refresh tokens of one sign-in share a family:
    reusing a spent refresh token revokes the whole family (it was stolen or replayed)."""

    kind = models.CharField(max_length=10, choices=TokenKind.choices)
    digest = models.CharField(max_length=64, unique=True)
    profile = models.ForeignKey(
        "accounts.Profile", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    applicant = models.ForeignKey(
        "accounts.Applicant", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    family = models.UUIDField(default=uuid.uuid4, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "接口令牌"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"


class ApiKey(models.Model):
    """An integration's key, issued to one organisation with scopes: `employer:<id>` (企业上报 for that
    employer), `ministry:review` (审查), `ministry:decide` (准予/不予注册)."""

    name = models.CharField("名称", max_length=100)
    prefix = models.CharField("前缀", max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField("权限范围", default=list)
    # The staff account the key acts as: events and audit rows name a person or a service account.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "接口密钥"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def employer_ids(self) -> set[int]:
        return {int(s.split(":", 1)[1]) for s in self.scopes if s.startswith("employer:") and s[9:].isdigit()}


class IdempotencyRecord(models.Model):
    """The first response to a request with an `Idempotency-Key`, replayed for identical repeats."""

    principal = models.CharField(max_length=40)
    key = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["principal", "key"], name="one_record_per_key")]

    def __str__(self) -> str:
        return f"{self.principal} {self.key}"
