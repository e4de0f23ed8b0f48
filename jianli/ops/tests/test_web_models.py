"""`jianli web` loads the face models and imports every view before it forks its workers."""

from __future__ import annotations

import subprocess
import sys

from jianli.identity import faces
from jianli.ops.management.commands.web import gunicorn


def test_the_workers_are_forked_with_the_face_models_loaded() -> None:
    faces._models.cache_clear()
    gunicorn("127.0.0.1:0", 1).load()
    assert faces._models.cache_info().currsize == 1


def test_the_workers_are_forked_with_the_views_and_the_api_imported() -> None:
    # A fresh interpreter: in this one the tests have imported the URL conf already.
    probe = (
        "import django, sys; django.setup()\n"
        "from jianli.ops.management.commands.web import gunicorn\n"
        "before = 'jianli.api.urls' in sys.modules\n"
        "gunicorn('127.0.0.1:0', 1).load()\n"
        "print(before, 'jianli.api.urls' in sys.modules, 'jianli.review.views' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.split() == ["False", "True", "True"]
