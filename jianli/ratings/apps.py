from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "jianli.ratings"
    verbose_name = "好差评"
