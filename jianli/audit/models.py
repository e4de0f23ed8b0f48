from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("the audit log is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("the audit log is append-only")


class AuditEvent(models.Model):
    """An append-only record of who did or saw what. Written only through jianli.audit.events."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=40, db_index=True)
    actor_kind = models.CharField(max_length=20)
    actor_id = models.BigIntegerField(null=True)
    actor_label = models.CharField(max_length=100, blank=True)
    applicant_id = models.BigIntegerField(null=True)
    application_id = models.BigIntegerField(null=True)
    ip = models.GenericIPAddressField(null=True)
    detail = models.JSONField(default=dict)
    request_id = models.CharField(max_length=64, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "审计事件"
        indexes = [
            models.Index(fields=["application_id", "created_at"], name="audit_application"),
            models.Index(fields=["applicant_id", "created_at"], name="audit_applicant"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("the audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("the audit log is append-only")
