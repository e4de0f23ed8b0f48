"""The registration and what follows from it: expiry reminders, certificates, and the qualification roster."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models


class Registration(models.Model):
    """The engineer's standing registration (注册)."""

    class Status(models.TextChoices):
        VALID = "valid", "有效"
        CANCELLED = "cancelled", "已注销"
        LAPSED = "lapsed", "已失效"

    number = models.CharField("注册号", max_length=20, unique=True)
    applicant = models.OneToOneField("accounts.Applicant", on_delete=models.PROTECT, related_name="registration")
    employer = models.ForeignKey("employers.Employer", on_delete=models.PROTECT, related_name="registrations")
    specialties = models.JSONField("注册专业", default=list)
    qualification_number = models.CharField("资格证书编号", max_length=40, blank=True)
    valid_from = models.DateField("有效期起")
    valid_until = models.DateField("有效期至")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.VALID)
    lapsed_on = models.DateField("失效日期", null=True, blank=True)
    # The first day the engineer is over 65 (年龄超过65周岁), kept so the daily job need not decrypt ID numbers.
    over_age_from = models.DateField("超龄日期", null=True, blank=True)
    over_age_flagged_on = models.DateField("超龄标记日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "注册"
        indexes = [models.Index(fields=["status", "valid_until"], name="registration_expiry")]

    def __str__(self) -> str:
        return self.number

    def is_valid_on(self, day: dt.date) -> bool:
        return self.status == self.Status.VALID and self.valid_from <= day <= self.valid_until

    @property
    def current_certificate(self) -> Certificate | None:
        return self.certificates.filter(status=Certificate.Status.VALID).first()


class ExpiryReminder(models.Model):
    """One reminder that a registration expires soon: each threshold (90, 60, 30 days) once per expiry date."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="expiry_reminders")
    valid_until = models.DateField("有效期至")
    days_before = models.PositiveSmallIntegerField("提前天数")
    sent_on = models.DateField("提醒日期")

    class Meta:
        verbose_name = verbose_name_plural = "到期提醒"
        constraints = [
            models.UniqueConstraint(fields=["registration", "valid_until", "days_before"], name="one_reminder_each")
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} {self.days_before}"


class Certificate(models.Model):
    """A registration certificate (注册证书); replacement voids the old one."""

    class Status(models.TextChoices):
        VALID = "valid", "有效"
        REPLACED = "replaced", "已更换"
        REVOKED = "revoked", "已作废"

    number = models.CharField("证书编号", max_length=20, unique=True)
    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="certificates")
    issued_on = models.DateField("发证日期")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.VALID)
    voided_on = models.DateField("作废日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "注册证书"

    def __str__(self) -> str:
        return self.number


class Qualification(models.Model):
    """The exam qualification roster (资格库) that initial registration is checked against."""

    certificate_number = models.CharField("资格证书编号", max_length=40, unique=True)
    name = models.CharField("姓名", max_length=50)
    id_hash = models.CharField(max_length=64, db_index=True)
    category = models.CharField("专业类别", max_length=20)
    obtained_on = models.DateField("取得日期")
    # Changed by an operator in the admin, not by an import: an initial registration on it is approved only after
    # a second look (see jianli.registrations.two_person). An import that rewrites the record clears the mark.
    edited_by_hand = models.BooleanField("人工修改", default=False)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="修改人",
    )
    edited_at = models.DateTimeField("修改时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "资格证书"

    def __str__(self) -> str:
        return self.certificate_number
