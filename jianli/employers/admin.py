from django.contrib import admin

from jianli.accounts.operators import ModelAdmin
from jianli.employers.models import Employer, EmployerStaff


class StaffInline(admin.TabularInline):
    model = EmployerStaff
    extra = 0
    raw_id_fields = ["user"]
    fields = ["user", "is_admin"]


@admin.register(Employer)
class EmployerAdmin(ModelAdmin):
    list_display = ["name", "uscc", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "=uscc"]
    inlines = [StaffInline]


@admin.register(EmployerStaff)
class EmployerStaffAdmin(ModelAdmin):
    list_display = ["user", "employer", "is_admin"]
    list_filter = ["is_admin"]
    search_fields = ["user__username", "user__first_name", "employer__name", "=employer__uscc"]
    raw_id_fields = ["user", "employer"]
