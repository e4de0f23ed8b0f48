"""Backup and restore: the database (pg_dump), the stored files (the object store or the media folder, copied
as stored: encrypted) and the key ring that opens them — which the operator keeps apart from the rest."""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from jianli import pii
from jianli.registrations.models import Application, Attachment


class BackupError(Exception):
    pass


def stored_files(prefix: str = "") -> Iterator[str]:
    try:
        folders, files = default_storage.listdir(prefix)
    except FileNotFoundError:
        return
    for name in files:
        yield posixpath.join(prefix, name) if prefix else name
    for folder in folders:
        yield from stored_files(posixpath.join(prefix, folder) if prefix else folder)


def _pg_env_args() -> tuple[dict[str, str], list[str]]:
    db = settings.DATABASES["default"]
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    args = ["-h", str(db.get("HOST") or "127.0.0.1"), "-p", str(db.get("PORT") or 5432), "-U", str(db["USER"])]
    return env, args


def backup(dest: Path, *, keys: bool = True) -> dict[str, Any]:
    dest.mkdir(parents=True, exist_ok=True)
    if any(dest.iterdir()):
        raise BackupError(f"{dest} is not empty")
    if connection.vendor == "postgresql":
        env, args = _pg_env_args()
        subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", *args,
                        "-f", str(dest / "database.dump"), str(settings.DATABASES["default"]["NAME"])],
                       env=env, check=True)
    else:
        source = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]))
        target = sqlite3.connect(str(dest / "database.sqlite3"))
        with target:
            source.backup(target)
        source.close()
        target.close()
    files: dict[str, str] = {}
    for name in stored_files():
        with default_storage.open(name, "rb") as f:
            data = f.read()
        path = dest / "files" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        files[name] = hashlib.sha256(data).hexdigest()
    if keys:
        keyfile = dest / "keys.env"
        keyfile.write_text(f"JIANLI_PII_KEY={settings.PII_KEYS}\nJIANLI_PII_LOOKUP_KEY={settings.PII_LOOKUP_KEY}\n")
        keyfile.chmod(0o600)
    manifest = {"database": connection.vendor, "files": files}
    (dest / "manifest.json").write_text(json.dumps(manifest, indent=1))
    return {"database": connection.vendor, "files": len(files), "keys": keys}


def restore(src: Path) -> dict[str, Any]:
    manifest = json.loads((src / "manifest.json").read_text())
    if manifest["database"] != "postgresql" or connection.vendor != "postgresql":
        raise BackupError("restore loads a PostgreSQL dump into PostgreSQL (for SQLite copy database.sqlite3 in place)")
    if connection.introspection.table_names():
        raise BackupError("the target database is not empty: restore into a new, empty database")
    if next(stored_files(), None) is not None:
        raise BackupError("the target file store is not empty")
    env, args = _pg_env_args()
    connection.close()
    subprocess.run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", *args,
                    "-d", str(settings.DATABASES["default"]["NAME"]), str(src / "database.dump")], env=env, check=True)
    for name, sha in manifest["files"].items():
        data = (src / "files" / name).read_bytes()
        if hashlib.sha256(data).hexdigest() != sha:
            raise BackupError(f"{name}: the copy in the backup is damaged")
        if default_storage.save(name, ContentFile(data)) != name:
            raise BackupError(f"{name}: stored under another name")
    return verify()


def verify() -> dict[str, int]:
    """Open everything: every application with its applicant's personal data, every encrypted file."""
    counts = {"applications": 0, "attachments": 0, "photos": 0, "files": 0}
    for application in Application.objects.select_related("applicant").iterator():
        assert application.applicant.id_number
        counts["applications"] += 1
    for model in apps.get_models():
        for field, purpose in getattr(model, "encrypted_files", {}).items():
            for path in model._default_manager.exclude(**{field: ""}).values_list(field, flat=True).iterator():
                data = pii.read_file(str(path), purpose)
                counts["files"] += 1
                if model is Attachment:
                    counts["attachments"] += 1
                elif purpose == "applicant.id_photo":
                    counts["photos"] += 1
                del data
    for attachment in Attachment.objects.iterator():
        if hashlib.sha256(attachment.read()).hexdigest() != attachment.sha256:
            raise BackupError(f"attachment {attachment.pk}: content differs from its checksum")
    return counts


