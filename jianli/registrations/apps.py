from django.apps import AppConfig


class RegistrationsConfig(AppConfig):
    name = "jianli.registrations"
    verbose_name = "注册"
