"""The five business types' 申报信息 forms as GET /api/v1/forms/{type} answers them (the API's own function, no
server): printed as JSON for the offline page tests."""

from __future__ import annotations

import json
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.api_contract.fuzz_settings")
django.setup()


def main() -> None:
    from jianli.api.applications import form

    types = ["initial", "renewal", "change", "cancellation", "replacement"]
    print(json.dumps({t: form(None, t) for t in types}, ensure_ascii=False))  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
