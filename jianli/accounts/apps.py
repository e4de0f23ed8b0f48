from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jianli.accounts"
    verbose_name = "申请人"

    def ready(self) -> None:
        from jianli.accounts import staff

        staff.connect()
