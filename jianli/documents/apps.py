from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "jianli.documents"
    verbose_name = "文书"
