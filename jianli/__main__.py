"""The `jianli` command: `jianli serve`, `jianli demo`, and every Django management command."""

from __future__ import annotations

import os
import sys

from django.core.management import execute_from_command_line

HYPHENATED = {
    "check-identifiers": "check_identifiers",
    "import-qualifications": "import_qualifications",
    "load-calendar": "load_calendar",
    "rotate-pii": "rotate_pii",
    "send-messages": "send_messages",
    "totp-code": "totp_code",
}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianli.settings")
    argv = list(sys.argv)
    argv[0] = "jianli"
    # Django command names use underscores; the documented spelling uses hyphens.
    if len(argv) > 1 and argv[1] in HYPHENATED:
        argv[1] = HYPHENATED[argv[1]]
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
