from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Level(models.IntegerChoices):
    """The national 好差评 scale (five levels)."""

    VERY_SATISFIED = 5, "非常满意"
    SATISFIED = 4, "满意"
    BASIC = 3, "基本满意"
    DISSATISFIED = 2, "不满意"
    VERY_DISSATISFIED = 1, "非常不满意"


POOR_LEVELS = (Level.DISSATISFIED, Level.VERY_DISSATISFIED)


class Rating(models.Model):
    """The applicant's rating of one ended application (好差评): given once, changeable for a period."""

    application = models.OneToOneField("registrations.Application", on_delete=models.CASCADE, related_name="rating")
    level = models.PositiveSmallIntegerField("评价", choices=Level.choices)
    comment = models.TextField("评价内容", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    changes = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "好差评"

    def __str__(self) -> str:
        return f"{self.application_id} {self.get_level_display()}"

    @property
    def is_poor(self) -> bool:
        return self.level in POOR_LEVELS

    def changeable_until(self) -> dt.datetime:
        return self.created_at + dt.timedelta(days=settings.JIANLI_RATING_CHANGE_DAYS)


class FollowUp(models.Model):
    """A 差评 to be followed up (整改) by the ministry before `due`."""

    class Status(models.TextChoices):
        OPEN = "open", "待整改"
        CLOSED = "closed", "已办结"

    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="follow_ups")
    application = models.ForeignKey("registrations.Application", on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField("评价", choices=Level.choices)
    opened_at = models.DateTimeField(default=timezone.now)
    due = models.DateField("整改期限")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField("整改情况", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "差评整改"
        ordering = ["due", "id"]
        indexes = [models.Index(fields=["status", "due"], name="follow_up_due")]
        constraints = [
            models.UniqueConstraint(fields=["rating"], condition=Q(status="open"), name="one_open_follow_up")
        ]

    def __str__(self) -> str:
        return f"差评整改 {self.application_id}"
