from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "jianli.review"
    verbose_name = "部级审核"
