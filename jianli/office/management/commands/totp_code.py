from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "演示环境：打印某个工作人员账号当前的动态口令（仅 JIANLI_DEMO 开启时可用）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="用户名；企业经办人写作 统一社会信用代码/用户名，或只写用户名")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        if not settings.DEMO:
            raise CommandError("仅演示环境可用（JIANLI_DEMO=1）")
        user = User.objects.filter(username=username).first() or User.objects.filter(
            username__endswith=f"/{username}"
        ).first()
        if user is None:
            raise CommandError(f"没有用户 {username}")
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            raise CommandError(f"{user.username} 还没有绑定验证器（首次登录时绑定）")
        self.stdout.write(f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}")
