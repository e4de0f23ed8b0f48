from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from jianli.audit.models import AuditEvent
from jianli.paging import EstimatedCountPaginator


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "actor_kind", "actor_label", "applicant_id", "application_id", "ip"]
    list_filter = ["action", "actor_kind"]
    search_fields = ["=application_id", "=applicant_id", "actor_label"]
    # No date_hierarchy: its drill-down reads the distinct days of every row (seconds at millions of rows).
    paginator = EstimatedCountPaginator
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False
