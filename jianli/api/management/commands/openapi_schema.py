"""`jianli openapi_schema --output FILE`: the API's OpenAPI description as JSON, without a server (the mini
program's TypeScript types are generated from it)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.core.serializers.json import DjangoJSONEncoder

from jianli.api.api import api


class Command(BaseCommand):
    help = "Write the API's OpenAPI description (JSON) to --output, or to standard output."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--output", type=Path)

    def handle(self, *args: Any, output: Path | None = None, **options: Any) -> None:
        text = json.dumps(api.get_openapi_schema(), cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
        if output is None:
            self.stdout.write(text)
        else:
            output.write_text(text, encoding="utf-8")
