"""Operators' view: the working-day calendar and the qualification roster are edited here (the roster also
uploaded, as CSV or Excel); applications and registrations are read only (deciding happens in the ministry
console, through the workflow)."""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils import timezone

from jianli import identifiers
from jianli.accounts.operators import ModelAdmin
from jianli.errors import ServiceError
from jianli.paging import EstimatedCountPaginator
from jianli.registrations import calendar, roster, roster_upload
from jianli.registrations.models import (
    Application,
    CalendarDay,
    Certificate,
    Qualification,
    Registration,
    RejectionProposal,
)

REJECTED_SHOWN = 200


@admin.register(CalendarDay)
class CalendarDayAdmin(ModelAdmin):
    list_display = ["date", "name", "is_working_day"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"
    search_fields = ["name"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        calendar.clear_cache()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        calendar.clear_cache()


class ReadOnly(ModelAdmin):
    list_per_page = 50  # Django's admin renders a row in about half a millisecond

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnly):
    list_display = ["number", "business_type", "state", "employer", "submitted_at", "deadline", "claimed_by"]
    list_filter = ["state", "business_type"]
    list_select_related = ["employer", "claimed_by"]
    search_fields = ["=number", "employer__name"]
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    fields = ["number", "business_type", "state", "employer", "version", "submitted_at", "reported_at", "deadline",
              "paused_at", "claimed_by", "decided_at", "decision_reason"]


class CertificateInline(admin.TabularInline):
    model = Certificate
    extra = 0
    can_delete = False
    readonly_fields = ["number", "issued_on", "status", "voided_on"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Registration)
class RegistrationAdmin(ReadOnly):
    list_display = ["number", "employer", "status", "valid_from", "valid_until"]
    list_filter = ["status"]
    search_fields = ["=number", "employer__name"]
    fields = ["number", "employer", "specialties", "qualification_number", "valid_from", "valid_until", "status"]
    inlines = [CertificateInline]


@admin.register(RejectionProposal)
class RejectionProposalAdmin(ReadOnly):
    list_display = ["application", "decision", "reason", "proposed_by", "outcome", "decided_by", "created_at"]
    list_filter = ["outcome", "decision", "reason"]


class QualificationForm(forms.ModelForm):
    id_number = forms.CharField(
        label="身份证号码", required=False, max_length=30,
        help_text="只保存用于查找的哈希，不保存号码本身，因此这里不显示原号码；修改记录时留空表示不变。",
    )

    class Meta:
        model = Qualification
        fields = ["certificate_number", "name", "id_number", "category", "obtained_on"]

    def clean_id_number(self) -> str:
        value = self.cleaned_data["id_number"].strip()
        if not value:
            if self.instance.pk is None:
                raise forms.ValidationError("请填写身份证号码")
            return ""
        try:
            return identifiers.clean_id_number(value, today=timezone.localdate())
        except identifiers.InvalidIdentifier as e:
            raise forms.ValidationError(f"身份证号码无效：{e.message}") from e

    def clean_obtained_on(self) -> Any:
        day = self.cleaned_data["obtained_on"]
        if day and day > timezone.localdate():
            raise forms.ValidationError("取得日期晚于今天")
        return day


@admin.register(Qualification)
class QualificationAdmin(ModelAdmin):
    """The roster (资格库). A record added or changed here is marked 人工修改 and audited; approving an initial
    registration on it then takes a second look (two_person). Records are not deleted here."""

    form = QualificationForm
    list_display = ["certificate_number", "name", "category", "obtained_on", "edited_by_hand", "edited_by",
                    "edited_at"]
    list_filter = ["edited_by_hand", "category"]
    list_select_related = ["edited_by"]
    search_fields = ["=certificate_number", "name"]
    readonly_fields = ["edited_by_hand", "edited_by", "edited_at"]
    fields = ["certificate_number", "name", "id_number", "category", "obtained_on", *readonly_fields]
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    change_list_template = "admin/registrations/qualification/change_list.html"

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        roster.qualification_save_by_hand(record=obj, id_number=form.cleaned_data.get("id_number", ""),
                                          request=request)

    def get_urls(self) -> list[URLPattern]:
        upload = path("upload/", self.admin_site.admin_view(self.upload_view),
                      name="registrations_qualification_upload")
        return [upload, *super().get_urls()]

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        """上传资格库: the same import as the command, its report of rejected rows shown on the page."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        report, error = None, ""
        if request.method == "POST":
            upload = request.FILES.get("file")
            try:
                if upload is None:
                    raise ServiceError("roster_file", "请选择要上传的CSV或Excel（.xlsx）文件")
                report = roster_upload.qualifications_upload(upload=upload, request=request)
            except ServiceError as e:
                error = e.message
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "上传资格库",
            "columns": ",".join(roster.COLUMNS),
            "max_mb": roster_upload.UPLOAD_MAX // (1024 * 1024),
            "report": report,
            "rejected": report.rejected[:REJECTED_SHOWN] if report else [],
            "more": max(len(report.rejected) - REJECTED_SHOWN, 0) if report else 0,
            "error": error,
        }
        return TemplateResponse(request, "admin/registrations/qualification/upload.html", context,
                                status=422 if error else 200)
