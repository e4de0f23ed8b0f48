from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "jianli.notifications"
    verbose_name = "消息"
