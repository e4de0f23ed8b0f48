"""Operators' view: the working-day calendar is edited here; applications and registrations are read only
(deciding happens in the ministry console, through the workflow)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jianli.paging import EstimatedCountPaginator
from jianli.registrations import calendar
from jianli.registrations.models import Application, CalendarDay, Certificate, Registration, RejectionProposal


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
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


class ReadOnly(admin.ModelAdmin):
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
    list_display = ["application", "reason", "proposed_by", "outcome", "decided_by", "created_at"]
    list_filter = ["outcome", "reason"]
