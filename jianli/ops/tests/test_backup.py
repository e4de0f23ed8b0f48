"""Backup, then restore into an empty database and an empty file store with only the backed-up key ring:
every application, attachment and photo opens."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from jianli.registrations.models import Attachment
from jianli.testing import cast

ROOT = Path(__file__).resolve().parents[3]


def jianli(args: list[str], env: dict[str, str]) -> dict[str, int]:
    out = subprocess.run([sys.executable, "-m", "jianli", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_an_empty_database_and_store(tmp_path, settings) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump and pg_restore: PostgreSQL only")
    employer = cast.employer()
    person = cast.applicant()
    person.set_id_photo(b"\xff\xd8\xff\xe0 a photo")
    person.save()
    application = cast.submitted(person, employer)
    pdf = b"%PDF-1.4 degree certificate"
    attachment = Attachment(application=application, slot="degree", original_name="学位证.pdf",
                            content_type="application/pdf", size=len(pdf), sha256=hashlib.sha256(pdf).hexdigest())
    attachment.store(pdf)
    attachment.save()

    db = connection.settings_dict
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "PYTEST", "DJANGO_", "JIANLI_"))}
    source = {**base, "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
              "JIANLI_MEDIA_ROOT": str(settings.MEDIA_ROOT), "JIANLI_VAR_DIR": str(settings.VAR_DIR)}
    backup = tmp_path / "backup"
    attachments = Attachment.objects.count()  # the cast's own uploads and the 学位证 above
    assert jianli(["backup", str(backup)], source)["files"] == attachments + 1
    assert oct((backup / "keys.env").stat().st_mode)[-3:] == "600"

    target_name = f"{db['NAME']}_restore"
    admin = f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT']}/postgres"
    with psycopg.connect(admin, autocommit=True) as pg:
        pg.execute(f'DROP DATABASE IF EXISTS "{target_name}"')
        pg.execute(f'CREATE DATABASE "{target_name}"')
    try:
        keys = dict(line.split("=", 1) for line in (backup / "keys.env").read_text().splitlines())
        target = {**base, **keys, "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{target_name}",
                  "JIANLI_MEDIA_ROOT": str(tmp_path / "restored-media"), "JIANLI_VAR_DIR": str(tmp_path / "new-var")}
        counts = jianli(["restore", str(backup)], target)
        assert counts == {"applications": 1, "attachments": attachments, "photos": 1, "files": attachments + 1}
        again = subprocess.run([sys.executable, "-m", "jianli", "restore", str(backup)], cwd=ROOT, env=target,
                               capture_output=True, text=True)
        assert again.returncode != 0 and "not empty" in again.stderr  # never over live data
    finally:
        with psycopg.connect(admin, autocommit=True) as pg:
            pg.execute(f'DROP DATABASE IF EXISTS "{target_name}" WITH (FORCE)')
