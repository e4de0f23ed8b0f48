"""The fake provider cannot run in production unless explicitly allowed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from jianli.identity.providers import get_provider


def test_fake_is_refused_without_debug_or_allow_fake(settings):
    settings.DEBUG = False
    settings.JIANLI_FACE_ALLOW_FAKE = False
    with pytest.raises(ImproperlyConfigured):
        get_provider("fake")


def test_fake_is_allowed_when_explicitly_enabled(settings):
    settings.DEBUG = False
    settings.JIANLI_FACE_ALLOW_FAKE = True
    assert get_provider("fake").name == "fake"


def test_settings_refuse_to_load_with_fake_in_production():
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("JIANLI_")}
    env.update(JIANLI_SECRET_KEY="x" * 50, JIANLI_DEBUG="0", JIANLI_FACE_PROVIDER="fake", DJANGO_SETTINGS_MODULE="jianli.settings")
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0 and "JIANLI_FACE_PROVIDER=fake is for tests and demos" in result.stderr


def test_unknown_provider_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured):
        get_provider("nobody")
