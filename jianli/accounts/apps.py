from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jianli.accounts"
    verbose_name = "申请人"

    def ready(self) -> None:
        from jianli.accounts import staff  # app-loading order: staff imports models, ready only now

        staff.connect()
