"""Files the service writes are readable by its own user only: uploads and the SQLite database with its WAL."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_uploaded_files_and_their_folders_are_private():
    old = os.umask(0o022)
    try:
        name = default_storage.save("attachments/2026/a.bin", ContentFile(b"sealed"))
    finally:
        os.umask(old)
    path = Path(default_storage.path(name))
    assert mode(path) == 0o600 and mode(path.parent) == 0o700


def test_the_sqlite_database_and_its_wal_are_private(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JIANLI_", "DJANGO_")) and k != "DATABASE_URL"}
    env.update(JIANLI_VAR_DIR=str(tmp_path / "var"), DJANGO_SETTINGS_MODULE="jianli.settings")
    script = (
        "import os, stat; os.umask(0o022); import django; django.setup(); from django.db import connection; "
        "c = connection.cursor(); c.execute('create table t (x)'); c.execute('insert into t values (1)'); "
        "name = connection.settings_dict['NAME']; "
        "print(*(oct(stat.S_IMODE(os.stat(name + end).st_mode)) for end in ('', '-wal', '-shm')))"
    )
    done = subprocess.run([sys.executable, "-c", script], env=env, cwd=settings.BASE_DIR,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0o600", "0o600", "0o600"]  # the database, its WAL and shared memory
    assert mode(tmp_path / "var" / "pii.key") == 0o600 and mode(tmp_path / "var" / "secret.key") == 0o600
    assert mode(tmp_path / "var") == 0o700
