from django.apps import AppConfig


class OfficeConfig(AppConfig):
    name = "jianli.office"
    verbose_name = "企业上报"
