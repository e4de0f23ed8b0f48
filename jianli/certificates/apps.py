from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "jianli.certificates"
    verbose_name = "电子证书"
