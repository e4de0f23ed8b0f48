"""Shared test set-up: the fake face provider and a fresh media folder unless a test says otherwise."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# Properties are checked by their examples, not by their speed: a loaded CI machine must not fail them.
hypothesis_settings.register_profile("jianli", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("jianli")


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.JIANLI_FACE_PROVIDER = "fake"
    settings.JIANLI_FACE_ALLOW_FAKE = True
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
    }
    from django.core.cache import cache

    cache.clear()
    yield
