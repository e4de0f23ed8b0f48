"""Production needs its own lookup key: without one the service does not start."""

from __future__ import annotations

import base64
import os
import subprocess
import sys


def load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("JIANLI_")}
    clean.update(DJANGO_SETTINGS_MODULE="jianli.settings", **env)
    return subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=clean,
                          capture_output=True, text=True, timeout=60)


KEY = "k1:" + base64.urlsafe_b64encode(b"\x01" * 32).decode()


def test_production_without_a_lookup_key_refuses_to_start() -> None:
    result = load_settings(JIANLI_SECRET_KEY="x" * 50, JIANLI_DEBUG="0", JIANLI_PII_KEY=KEY)
    assert result.returncode != 0 and "JIANLI_PII_LOOKUP_KEY" in result.stderr


def test_production_with_a_lookup_key_is_not_refused_for_it() -> None:
    lookup = base64.urlsafe_b64encode(b"\x02" * 32).decode()
    result = load_settings(JIANLI_SECRET_KEY="x" * 50, JIANLI_DEBUG="0", JIANLI_PII_KEY=KEY, JIANLI_PII_LOOKUP_KEY=lookup)
    assert "JIANLI_PII_LOOKUP_KEY" not in result.stderr, result.stderr
