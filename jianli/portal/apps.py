from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "jianli.portal"
    verbose_name = "申请人页面"
