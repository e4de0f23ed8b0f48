from __future__ import annotations

from django.conf import settings
from django.db import models

from jianli import pii


class Employer(models.Model):
    """An employing unit (聘用单位); on the progress page the 经办企业."""

    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("单位名称", max_length=100, db_index=True)
    address = models.CharField("地址", max_length=200, blank=True)
    contact_mobile = pii.EncryptedTextField(
        "经办联系手机", purpose="employer.contact_mobile", blank=True, help_text="有待上报的办件时发送短信提醒"
    )
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "聘用单位"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EmployerStaff(models.Model):
    """A staff account (企业经办人) of one employer; an admin manages the company's other accounts."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="employer_staff")
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="staff")
    is_admin = models.BooleanField("单位管理员", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "企业经办人"

    def __str__(self) -> str:
        return f"{self.employer} · {self.user.get_username()}"
