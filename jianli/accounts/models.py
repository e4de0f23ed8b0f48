from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models

from jianli import identifiers, pii
from jianli.identity.faces import reference_embedding


class Profile(models.Model):
    """The platform user (the web stand-in for the WeChat user): 头像 and 昵称, set on first use.

    Real-name registration binds an Applicant to it.
    """

    nickname = models.CharField("昵称", max_length=20)
    avatar = models.CharField("头像", max_length=200, blank=True)
    applicant = models.OneToOneField(
        "Applicant", null=True, blank=True, on_delete=models.SET_NULL, related_name="profile"
    )
    large_text = models.BooleanField("适老化模式", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    encrypted_files: ClassVar[dict[str, str]] = {"avatar": "profile.avatar"}

    class Meta:
        verbose_name = verbose_name_plural = "平台用户"

    def __str__(self) -> str:
        return self.nickname

    def set_avatar(self, jpeg: bytes) -> None:
        """Store the 头像 encrypted; the previous file is removed."""
        old = self.avatar
        self.avatar = pii.save_file(jpeg, "profile.avatar")
        if old:
            default_storage.delete(old)

    def avatar_image(self) -> bytes | None:
        return pii.read_file(self.avatar, "profile.avatar") if self.avatar else None


class ApplicantQuerySet(models.QuerySet["Applicant"]):
    def by_id_number(self, id_number: str) -> ApplicantQuerySet:
        return self.filter(id_hash=pii.lookup_hash(id_number))


class Applicant(models.Model):
    """A natural person registered by real name (申请人)."""

    name = models.CharField("姓名", max_length=50)
    id_number = pii.EncryptedTextField("身份证号码", purpose="applicant.id_number")
    id_hash = models.CharField(max_length=64, unique=True, editable=False)
    mobile = pii.EncryptedTextField("手机号码", purpose="applicant.mobile")
    mobile_hash = models.CharField(max_length=64, db_index=True, editable=False)
    id_photo_path = models.CharField("证件照", max_length=200, blank=True, editable=False)
    # The face in the 证件照 as the local model sees it (128 floats), for face checks without recomputing it.
    id_photo_embedding = pii.EncryptedTextField(
        "证件照人脸特征", purpose="applicant.id_photo_embedding", blank=True, default="", editable=False
    )
    verified_in_person_at = models.DateTimeField("现场核验时间", null=True, blank=True)
    verified_in_person_note = models.CharField("现场核验说明", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicantQuerySet.as_manager()
    encrypted_files: ClassVar[dict[str, str]] = {"id_photo_path": "applicant.id_photo"}

    class Meta:
        verbose_name = verbose_name_plural = "申请人"
        # Reviewers search by name (jianli.review.search): 姓 or the whole name, a prefix LIKE on PostgreSQL.
        indexes = [models.Index(fields=["name"], name="applicant_name_prefix", opclasses=["varchar_pattern_ops"])]

    def __str__(self) -> str:
        return f"{self.name} {self.masked_id_number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.id_hash = pii.lookup_hash(self.id_number)
        self.mobile_hash = pii.lookup_hash(self.mobile)
        super().save(*args, **kwargs)

    @property
    def masked_id_number(self) -> str:
        return identifiers.mask_id_number(self.id_number)

    @property
    def masked_mobile(self) -> str:
        return identifiers.mask_mobile(self.mobile)

    @property
    def birth_date(self) -> dt.date:
        return identifiers.birth_date(self.id_number)

    def age_on(self, day: dt.date) -> int:
        return identifiers.age_on(self.id_number, day)

    @property
    def nickname(self) -> str:
        profile = getattr(self, "profile", None)
        return profile.nickname if profile else self.name

    def set_id_photo(self, jpeg: bytes) -> None:
        """Store the 证件照 encrypted, and its face's embedding; the previous file is removed."""
        old = self.id_photo_path
        self.id_photo_path = pii.save_file(jpeg, "applicant.id_photo")
        self.id_photo_embedding = reference_embedding(jpeg)
        if old:
            default_storage.delete(old)

    def id_photo(self) -> bytes | None:
        return pii.read_file(self.id_photo_path, "applicant.id_photo") if self.id_photo_path else None


class StaffAccount(models.Model):
    """What Django's user does not keep about a staff account: whether its password is temporary (set by someone
    else: an operator, a company admin, a command, at creation), to be changed at the next sign-in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="staff_account"
    )
    password_temporary = models.BooleanField("临时密码", default=False)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "工作人员账号"

    def __str__(self) -> str:
        return str(self.user)


class PlatformIdentity(models.Model):
    """Who the platform user is to a mini-program platform: WeChat's openid (and unionid); Alipay's user_id is one
    more `platform` value, not another model."""

    class Platform(models.TextChoices):
        WECHAT = "wechat", "微信"
        ALIPAY = "alipay", "支付宝"

    platform = models.CharField(max_length=10, choices=Platform.choices)
    openid = pii.EncryptedTextField(purpose="identity.openid")
    # Finds the row by openid without decrypting: pii.lookup_hash(f"{platform}:{openid}").
    openid_hash = models.CharField(max_length=64)
    unionid = pii.EncryptedTextField(blank=True, purpose="identity.unionid")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="platform_identities")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "平台身份"
        constraints = [
            models.UniqueConstraint(fields=["platform", "openid_hash"], name="platform_identity_unique_openid"),
            models.UniqueConstraint(fields=["platform", "profile"], name="platform_identity_one_per_profile"),
        ]

    def __str__(self) -> str:
        return f"{self.platform}:{self.openid[:6]}…"

    @property
    def applicant(self) -> Applicant | None:
        return self.profile.applicant

    @staticmethod
    def hash_of(platform: str, openid: str) -> str:
        return pii.lookup_hash(f"{platform}:{openid}")
