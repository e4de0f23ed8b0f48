"""What the casework keeps beside the applications: the working-day calendar, decisions waiting for 复核, and
the counts by state."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from jianli.registrations.models.application import Application, BusinessType, State


class CalendarDay(models.Model):
    """An exception to the Monday–Friday week: a public holiday, or a make-up working day (调休)."""

    date = models.DateField(unique=True)
    is_working_day = models.BooleanField(default=False)
    name = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "工作日历"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name} {'上班' if self.is_working_day else '休息'}"


class RejectionProposal(models.Model):
    """A decision that takes two people (jianli.registrations.two_person): the reviewer proposes it, an approver
    (复核) agrees or sends it back. Named for its first use, 拟不予注册; `decision` says which one it is."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "待复核"
        AGREED = "agreed", "复核同意"
        DECLINED = "declined", "复核不同意"
        CLOSED = "closed", "已终止办理"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="rejection_proposals")
    decision = models.CharField("拟作决定", max_length=10, default="reject")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("法定理由", max_length=50)
    comment = models.TextField("具体理由")
    created_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField("复核意见", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "待复核的决定"
        constraints = [
            models.UniqueConstraint(
                fields=["application"], condition=Q(outcome="pending"), name="one_pending_rejection"
            )
        ]

    def __str__(self) -> str:
        return f"{self.decision} {self.application_id}"


class StateCount(models.Model):
    """How many applications are in each state (per business type, reported to the ministry or not), kept by the
    workflow in each transition's transaction so that no page counts millions of rows. Drafts are not counted:
    they are created outside the workflow. `jianli rebuild_state_counts` recomputes the table from Application."""

    state = models.CharField(max_length=20, choices=State.choices)
    business_type = models.CharField(max_length=20, choices=BusinessType.choices)
    reported = models.BooleanField()
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["state", "business_type", "reported"], name="state_count_key")
        ]

    def __str__(self) -> str:
        return f"{self.state}/{self.business_type}: {self.n}"
