"""The application and what it carries: business types and states, versions, attachments and events."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from jianli import pii


class BusinessType(models.TextChoices):
    INITIAL = "initial", "初始注册"
    RENEWAL = "renewal", "延续注册"
    CHANGE = "change", "变更注册"
    CANCELLATION = "cancellation", "注销注册"
    REPLACEMENT = "replacement", "证书更换"


class State(models.TextChoices):
    DRAFT = "draft", "填写中"
    AWAITING_EMPLOYER = "awaiting_employer", "待企业上报"
    RETURNED = "returned", "企业已退回"
    AWAITING_REVIEW = "awaiting_review", "待审查"
    IN_REVIEW = "in_review", "审查中"
    IN_CORRECTION = "in_correction", "补正中"
    APPROVED = "approved", "准予注册"
    REJECTED = "rejected", "不予注册"
    WITHDRAWN = "withdrawn", "已撤回"


OPEN_STATES = (
    State.AWAITING_EMPLOYER,
    State.RETURNED,
    State.AWAITING_REVIEW,
    State.IN_REVIEW,
    State.IN_CORRECTION,
)
DECIDED_STATES = (State.APPROVED, State.REJECTED)
# The reviewers' default queue (jianli.review.views.OPEN_FOR_REVIEW): the app_open_queue index is for exactly these,
# in this order, so that PostgreSQL proves the queue's filter implies the index's condition.
QUEUE_STATES = (State.AWAITING_REVIEW, State.IN_REVIEW, State.IN_CORRECTION)


class Application(models.Model):
    """An application (办件) of one business type; while its state is draft it is the applicant's draft."""

    number = models.CharField("办件编号", max_length=24, unique=True, null=True, blank=True)
    applicant = models.ForeignKey("accounts.Applicant", on_delete=models.PROTECT, related_name="applications")
    business_type = models.CharField("业务类型", max_length=20, choices=BusinessType.choices)
    employer = models.ForeignKey(
        "employers.Employer", on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.DRAFT)
    data = models.JSONField("申报信息", default=dict)
    step = models.PositiveSmallIntegerField("当前步骤", default=1)
    version = models.PositiveIntegerField("版本", default=0)
    registration = models.ForeignKey(
        "Registration", on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    expires_at = models.DateTimeField("草稿保留至", null=True, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    reported_at = models.DateTimeField("企业上报时间", null=True, blank=True)
    deadline = models.DateField("办结期限", null=True, blank=True)
    paused_at = models.DateTimeField("补正开始", null=True, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    correction_items = models.JSONField("补正事项", default=list, blank=True)
    decided_at = models.DateTimeField("办结时间", null=True, blank=True)
    decision_reason = models.CharField("决定理由", max_length=50, blank=True)
    decision_comment = models.TextField("决定说明", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "办件"
        indexes = [
            models.Index(fields=["state", "submitted_at", "id"], name="app_queue"),
            models.Index(fields=["employer", "state", "submitted_at", "id"], name="app_employer"),
            models.Index(fields=["applicant", "business_type", "created_at"], name="app_applicant"),
            models.Index(fields=["state", "deadline"], name="app_deadline"),
            # The reviewers' default queue (all open states, oldest first) and an employer's list of every state
            # read these in order; without them PostgreSQL sorts every open (or every company) application.
            models.Index(fields=["submitted_at", "id"], condition=Q(state__in=QUEUE_STATES), name="app_open_queue"),
            models.Index(
                fields=["employer", "submitted_at", "id"], condition=Q(submitted_at__isnull=False),
                name="app_employer_submitted",
            ),
            # The open queue sorted by 办结期限 (and 领取下一件), and what each reviewer holds (我领取的, the team
            # lead's load): both read only open rows, never the millions decided.
            models.Index(fields=["deadline", "id"], condition=Q(state__in=QUEUE_STATES), name="app_open_deadline"),
            models.Index(fields=["claimed_by", "submitted_at", "id"], condition=Q(state__in=QUEUE_STATES),
                         name="app_claimed"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "business_type"], condition=Q(state="draft"), name="one_draft_per_type"
            )
        ]

    def __str__(self) -> str:
        return self.number or f"草稿 {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def issue_number(self) -> None:
        self.number = f"JL{timezone.localdate():%Y%m%d}{self.pk:08d}"


class ApplicationVersion(models.Model):
    """What the applicant submitted, frozen: one row per submission (补正 adds a version)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    data = models.JSONField()
    attachments = models.JSONField(default=dict)
    employer_id_at = models.BigIntegerField(null=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "version"], name="one_row_per_version")]
        ordering = ["application", "version"]

    def __str__(self) -> str:
        return f"{self.application_id} v{self.version}"


class Attachment(models.Model):
    """An uploaded file, stored encrypted through Django's storage API; served only by a checked view."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    slot = models.CharField("材料", max_length=40)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    path = models.CharField(max_length=200)
    is_current = models.BooleanField(default=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    encrypted_files: ClassVar[dict[str, str]] = {"path": "attachment"}

    class Meta:
        verbose_name = verbose_name_plural = "附件"
        indexes = [models.Index(fields=["application", "slot", "is_current"], name="attachment_slot")]

    def __str__(self) -> str:
        return self.original_name

    def store(self, content: bytes) -> None:
        self.path = pii.save_file(content, "attachment")

    def read(self) -> bytes:
        return pii.read_file(self.path, "attachment")


class ActorKind(models.TextChoices):
    APPLICANT = "applicant", "申请人"
    EMPLOYER = "employer", "经办企业"
    REVIEWER = "reviewer", "审查人员"
    SYSTEM = "system", "系统"


class ApplicationEvent(models.Model):
    """One row per transition: the progress timeline and the workflow's history are read from it."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30)
    from_state = models.CharField(max_length=20, choices=State.choices)
    to_state = models.CharField(max_length=20, choices=State.choices)
    actor_kind = models.CharField(max_length=20, choices=ActorKind.choices)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=100, blank=True)
    comment = models.TextField(blank=True)
    problems = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["application", "created_at"], name="event_timeline")]

    def __str__(self) -> str:
        return f"{self.application_id} {self.action} {self.from_state}→{self.to_state}"
