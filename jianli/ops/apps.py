from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "jianli.ops"
    verbose_name = "运行状态"
