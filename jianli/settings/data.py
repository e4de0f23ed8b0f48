"""Where data lives: the database (and its read replica), the cache, stored files, upload limits and the task
queue."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from jianli.settings.env import BASE_DIR, VAR_DIR, envint, envstr, private_file
from jianli.settings.security import DEBUG

DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{VAR_DIR / 'jianli.sqlite3'}"),
        conn_max_age=envint("JIANLI_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite gives its -wal and -shm files the database file's mode: made 0600 here, all three are private.
    if DATABASES["default"]["NAME"] and not str(DATABASES["default"]["NAME"]).startswith((":memory:", "file:")):
        private_file(Path(DATABASES["default"]["NAME"]))
    # WAL and a busy timeout so the page server and the task worker can share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# A streaming read replica of the primary: the read-only pages read it (jianli/replica.py); tests mirror default.
REPLICA_URL = envstr("JIANLI_REPLICA_URL")
if REPLICA_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(
            REPLICA_URL, conn_max_age=envint("JIANLI_DB_CONN_MAX_AGE", 60), conn_health_checks=True
        ),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["jianli.replica.ReplicaRouter"]
# Seconds a browser reads the primary after it wrote (longer than the replica's lag).
JIANLI_REPLICA_PIN_SECONDS = envint("JIANLI_REPLICA_PIN_SECONDS", 10)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = envstr("REDIS_URL")
JIANLI_CACHE = envstr("JIANLI_CACHE")
if JIANLI_CACHE not in ("", "database"):
    raise ImproperlyConfigured(f"JIANLI_CACHE must be 'database' or unset, not {JIANLI_CACHE!r}")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "jianli.redis_cache.RedisCache", "LOCATION": REDIS_URL}}
elif JIANLI_CACHE == "database":
    # Shared through the database (`jianli createcachetable`, which `serve --production` runs) when there is no Redis.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "jianli_cache"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"  # filled by collectstatic for production
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = Path(envstr("JIANLI_MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": MEDIA_ROOT}},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}


def s3_storage() -> dict:
    """Attachments and photos (encrypted before they are stored) in an S3-compatible object store that every app
    server shares: django-storages' S3 backend, configured by JIANLI_S3_*."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": envstr("JIANLI_S3_BUCKET"),
            "endpoint_url": envstr("JIANLI_S3_ENDPOINT_URL") or None,
            "region_name": envstr("JIANLI_S3_REGION") or None,
            "access_key": envstr("JIANLI_S3_ACCESS_KEY_ID") or None,
            "secret_key": envstr("JIANLI_S3_SECRET_ACCESS_KEY") or None,
            "location": envstr("JIANLI_S3_PREFIX"),
            # Names are random; never replace an object that happens to share one.
            "file_overwrite": False,
            "default_acl": None,
            "addressing_style": envstr("JIANLI_S3_ADDRESSING_STYLE") or None,
        },
    }


if envstr("JIANLI_S3_BUCKET"):
    STORAGES["default"] = s3_storage()

# A request body over this is refused by its Content-Length before any of it is read (jianli.middleware).
JIANLI_MAX_REQUEST_BYTES = envint("JIANLI_MAX_REQUEST_BYTES", 20 * 1024 * 1024)
# Form fields and JSON bodies (Base64 pictures) held in memory; files beyond this spool to a temporary file.
DATA_UPLOAD_MAX_MEMORY_SIZE = min(12 * 1024 * 1024, JIANLI_MAX_REQUEST_BYTES)
FILE_UPLOAD_MAX_MEMORY_SIZE = min(12 * 1024 * 1024, JIANLI_MAX_REQUEST_BYTES)
# Pixels a picture may declare before anything decodes it (jianli.images); OpenCV reads its own copy of the
# limit from the environment, so it is set here, before any module imports cv2.
JIANLI_IMAGE_MAX_PIXELS = envint("JIANLI_IMAGE_MAX_PIXELS", 25_000_000)
os.environ["OPENCV_IO_MAX_IMAGE_PIXELS"] = str(JIANLI_IMAGE_MAX_PIXELS)
# Uploaded files (encrypted anyway) readable by the service's own user only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

TASKS = {"default": {"BACKEND": envstr("JIANLI_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
