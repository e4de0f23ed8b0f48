from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "jianli.api"
    verbose_name = "接口"
