"""Operations admin for applicants: masked identity only, and the 现场核验 action."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_otp.plugins.otp_totp.models import TOTPDevice

from jianli.accounts.models import Applicant
from jianli.accounts.operators import ModelAdmin
from jianli.audit import events
from jianli.errors import ServiceError
from jianli.identity.services import applicant_verify_in_person


class InPersonForm(forms.Form):
    reason = forms.CharField(
        label="现场核验说明", max_length=150,
        help_text="例如：2026-11-25 在注册中心服务窗口核对身份证原件，本人到场。",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@admin.register(Applicant)
class ApplicantAdmin(ModelAdmin):
    list_display = ["name", "masked_id", "masked_phone", "verified_in_person_at", "created_at"]
    # Never the encrypted fields themselves: the admin shows masked values only.
    fields = ("name", "masked_id", "masked_phone", "verified_in_person_at", "verified_in_person_note", "created_at")
    readonly_fields = fields
    search_fields = ["name"]
    actions = ["verify_in_person"]

    @admin.display(description="身份证号码")
    def masked_id(self, obj: Applicant) -> str:
        return obj.masked_id_number

    @admin.display(description="手机号码")
    def masked_phone(self, obj: Applicant) -> str:
        return obj.masked_mobile

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if str(object_id).isdigit():
            events.personal_data_viewed(request, int(object_id), "applicant:admin")
        return super().change_view(request, object_id, form_url, extra_context)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Applicant | None = None) -> bool:
        return False

    @admin.action(description="现场核验（已核对身份证原件）")
    def verify_in_person(self, request: HttpRequest, queryset: QuerySet[Applicant]) -> HttpResponse | None:
        form = InPersonForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            for applicant in queryset:
                try:
                    applicant_verify_in_person(
                        applicant=applicant, by_user=request.user, reason=form.cleaned_data["reason"], request=request
                    )
                except ServiceError as e:
                    self.message_user(request, e.message, messages.ERROR)
                    return None
            self.message_user(request, f"已记录 {queryset.count()} 人的现场核验。", messages.SUCCESS)
            return None
        return render(
            request,
            "identity/admin_verify_in_person.html",
            {**self.admin_site.each_context(request), "title": "现场核验", "form": form, "applicants": queryset,
             "opts": self.model._meta, "action": "verify_in_person"},
        )


# ---------------------------------------------------------------- staff authenticators (TOTP)

admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(ModelAdmin):
    """Who has bound an authenticator, and when it was last used. The secret is never shown or set here:
    an operator can only delete a device (reset), and the person binds a new one at the next sign-in."""

    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__username", "user__first_name"]
    fields = ("user", "name", "confirmed", "created_at", "last_used_at", "throttling_failure_count")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[TOTPDevice]:
        return super().get_queryset(request).select_related("user")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: TOTPDevice | None = None) -> bool:
        return False
