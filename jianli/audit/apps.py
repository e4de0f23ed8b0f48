from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "jianli.audit"
    verbose_name = "审计日志"
