from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "jianli.ops"
    verbose_name = "运行状态"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from jianli.postgres import use_fast_timestamps

        connection_created.connect(use_fast_timestamps, dispatch_uid="jianli.postgres.use_fast_timestamps")
