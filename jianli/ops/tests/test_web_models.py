"""`jianli web` loads the face models before it forks its workers."""

from __future__ import annotations

from jianli.identity import faces
from jianli.ops.management.commands.web import gunicorn


def test_the_workers_are_forked_with_the_face_models_loaded() -> None:
    faces._models.cache_clear()
    gunicorn("127.0.0.1:0", 1).load()
    assert faces._models.cache_info().currsize == 1
