from django.apps import AppConfig


class EmployersConfig(AppConfig):
    name = "jianli.employers"
    verbose_name = "聘用单位"
