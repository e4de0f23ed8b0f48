from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "jianli.identity"
    verbose_name = "人脸识别"
