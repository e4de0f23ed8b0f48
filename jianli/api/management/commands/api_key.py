"""Issue, list and revoke integration API keys: `jianli api_key create --name 华建OA --user <username> --scope
employer:<id>`; the secret is printed once and only its digest is stored."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from jianli.api import credentials
from jianli.api.models import ApiKey
from jianli.errors import ServiceError


class Command(BaseCommand):
    help = "接口密钥：create / list / revoke"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("--name", required=True)
        create.add_argument("--user", required=True, help="the staff account the key acts as")
        create.add_argument(
            "--scope", action="append", required=True, help="employer:<id>, ministry:review, ..."
        )
        sub.add_parser("list")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            user = User.objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise CommandError(f"no active user {options['user']!r}")
            try:
                secret, key = credentials.api_key_create(
                    name=options["name"], scopes=options["scope"], user=user
                )
            except ServiceError as e:
                raise CommandError(e.message) from None
            self.stdout.write(f"{key.prefix}  {key.name}  {' '.join(key.scopes)}")
            self.stdout.write(f"X-API-Key: {secret}")
        elif options["action"] == "list":
            for key in ApiKey.objects.select_related("user").order_by("created_at"):
                state = "revoked" if key.revoked_at else "active"
                self.stdout.write(
                    f"{key.prefix}  {state}  {key.name}  {key.user.get_username()}  {' '.join(key.scopes)}"
                )
        else:
            count = credentials.api_key_revoke(prefix=options["prefix"])
            if not count:
                raise CommandError("no active key with that prefix")
            self.stdout.write(f"revoked {count}")
