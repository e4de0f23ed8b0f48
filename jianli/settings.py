"""Jianli settings: one file, every deploy knob read from the environment.

With no variable set it runs embedded: SQLite and files under var/, keys generated into var/ on first run.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from jianli import production

BASE_DIR = Path(__file__).resolve().parent.parent


def envstr(name: str, default: str = "") -> str:
    """A string from NAME, or from the file named by NAME_FILE (for container secrets)."""
    if f"{name}_FILE" in os.environ:
        return Path(os.environ[f"{name}_FILE"]).read_text().strip()
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError as e:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from e


def envfloat(name: str, default: float) -> float:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return float(value)
    except ValueError as e:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}") from e


VAR_DIR = Path(envstr("JIANLI_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)


def _private_file(path: Path) -> None:
    """Create `path` readable by this user only (never briefly world-readable), or tighten it if it exists."""
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    elif path.stat().st_mode & 0o077 and path.stat().st_uid == os.getuid():
        path.chmod(0o600)


def _local_key(filename: str, make: str) -> str:
    """A development key kept in var/ (never committed), made on first run."""
    path = VAR_DIR / filename
    if not path.exists():
        _private_file(path)
        path.write_text(make)
    return path.read_text().strip()


def _legacy_lookup_key(ring_spec: str) -> str:
    """The hash key earlier versions derived from the ring's last key, so an existing var/ keeps finding its people."""
    b64 = ring_spec.split(",")[-1].partition(":")[2].strip()
    last = base64.urlsafe_b64decode(b64 + "=" * (-len(b64) % 4))
    return base64.urlsafe_b64encode(hashlib.sha256(b"jianli-lookup:" + last).digest()).decode()


# Secrets given by the operator; with debug off, nothing is generated and a missing one stops the start.
_GIVEN = {name for name in ("JIANLI_SECRET_KEY", "JIANLI_PII_KEY") if envstr(name)}
# This is the production service: debug, demo banners and the fake face provider are refused outright.
JIANLI_PRODUCTION = envbool("JIANLI_PRODUCTION", False)
DEBUG = envbool("JIANLI_DEBUG", default="JIANLI_SECRET_KEY" not in _GIVEN and not JIANLI_PRODUCTION)
# The embedded demo: demo banners (SMS code shown on the page) and demo data.
DEMO = envbool("JIANLI_DEMO", default=DEBUG)

SECRET_KEY = envstr("JIANLI_SECRET_KEY") or (_local_key("secret.key", secrets.token_urlsafe(50)) if DEBUG else "")
# Key ring for personal data: "kid:base64key[,kid:base64key...]"; the first encrypts, all decrypt.
PII_KEYS = envstr("JIANLI_PII_KEY") or (
    _local_key("pii.key", "k1:" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()) if DEBUG else ""
)
# The key of lookup hashes (id_hash, mobile_hash, rate-limit keys): never rotated with PII_KEYS. Only the demo
# and tests fall back to a local file.
PII_LOOKUP_KEY = envstr("JIANLI_PII_LOOKUP_KEY")
if not PII_LOOKUP_KEY and (DEBUG or DEMO) and PII_KEYS:
    PII_LOOKUP_KEY = _local_key("pii-lookup.key", _legacy_lookup_key(PII_KEYS))
ALLOWED_HOSTS = [h for h in envstr("JIANLI_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in envstr("JIANLI_CSRF_TRUSTED_ORIGINS").split(",") if o]
SITE_URL = envstr("JIANLI_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    # Django's admin on the operators' site: it lets in only sessions verified with a TOTP code.
    "jianli.accounts.admin_site.OpsAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "jianli.audit",
    "jianli.accounts",
    "jianli.identity",
    "jianli.employers",
    "jianli.registrations",
    "jianli.certificates",
    "jianli.documents",
    "jianli.ratings",
    "jianli.notifications",
    "jianli.portal",
    "jianli.office",
    "jianli.review",
    "jianli.api",
    "jianli.ops",
]

MIDDLEWARE = [
    "jianli.ops.middleware.RequestIdMiddleware",
    # First: a body too large is refused before anything reads it.
    "jianli.middleware.RequestSizeMiddleware",
    "jianli.middleware.ApiErrorMiddleware",
    # Query strings and form fields hold nothing a database refuses (NUL, lone surrogates): jianli/text.py.
    "jianli.text.InputGuardMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "jianli.accounts.middleware.NoStoreMiddleware",
    "jianli.accounts.middleware.SessionMiddleware",
    "jianli.accounts.middleware.SessionLifetimeMiddleware",
    "jianli.middleware.ContentLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jianli.audit.context.RequestContextMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "jianli.accounts.middleware.ApplicantMiddleware",
    "axes.middleware.AxesMiddleware",
    "jianli.replica.PrimaryPinMiddleware",
]

ROOT_URLCONF = "jianli.urls"
WSGI_APPLICATION = "jianli.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["jianli.dates"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jianli.portal.context.service",
            ],
        },
    },
]

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
        _private_file(Path(DATABASES["default"]["NAME"]))
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
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
elif JIANLI_CACHE == "database":
    # Shared through the database (`jianli createcachetable`, which `serve --production` runs) when there is no Redis.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "jianli_cache"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The admin of TOTP devices never shows a secret or its QR code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
AXES_FAILURE_LIMIT = envint("JIANLI_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "base/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "jianli.net.client_ip"
AXES_USERNAME_CALLABLE = "jianli.text.axes_username"
# Our own proxies in front of the app servers (load balancer, ingress); each appends to X-Forwarded-For.
# 0: the header is ignored and the connecting address is the client's.
JIANLI_TRUSTED_PROXY_COUNT = envint("JIANLI_TRUSTED_PROXY_COUNT", 0)

# Applicants are signed out after 30 idle minutes; a request renews the session when its expiry is more than
# JIANLI_SESSION_TOUCH_SECONDS old (jianli.accounts.middleware.SessionMiddleware), not on every page view.
SESSION_COOKIE_AGE = envint("JIANLI_SESSION_IDLE_SECONDS", 30 * 60)
JIANLI_SESSION_TOUCH_SECONDS = envint("JIANLI_SESSION_TOUCH_SECONDS", 60)
# However active, a signed-in session ends this long after sign-in (applicants and staff sign in again).
JIANLI_SESSION_ABSOLUTE_SECONDS = envint("JIANLI_SESSION_ABSOLUTE_SECONDS", 12 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envbool("JIANLI_BEHIND_PROXY", False) else None
SECURE_HSTS_SECONDS = 0 if DEBUG else envint("JIANLI_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = envbool("JIANLI_HSTS_PRELOAD", True)
# Plain HTTP is answered with a redirect to HTTPS (behind a proxy, JIANLI_BEHIND_PROXY tells which is which).
SECURE_SSL_REDIRECT = envbool("JIANLI_SSL_REDIRECT", not DEBUG)
X_FRAME_OPTIONS = "DENY"
LOGIN_URL = "office:login"
CSRF_FAILURE_VIEW = "jianli.portal.views.csrf_failure"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "media-src": [SELF, "blob:"],
        "script-src": [SELF],
        "style-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LANGUAGE_CODE = "zh-hans"
# Every page is in Chinese only: no other language is claimed, whatever the browser asks for.
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

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

# JSON lines (one object per record, with the request id) unless plain text is asked for; plain in debug.
LOG_FORMAT = envstr("JIANLI_LOG_FORMAT", "plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "jianli.ops.context.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(process)d %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger", "process": "pid"},
            "json_ensure_ascii": False,
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]}
    },
    "root": {"handlers": ["console"], "level": envstr("JIANLI_LOG_LEVEL", "INFO")},
    "loggers": {"django.server": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
if LOG_FORMAT not in LOGGING["formatters"]:  # type: ignore[operator]
    raise ImproperlyConfigured(f"JIANLI_LOG_FORMAT must be json or plain, not {LOG_FORMAT!r}")

# --- Operations ----------------------------------------------------------------------------------------
# /metrics for Prometheus (off by default: expose it only where the scraper can reach it).
JIANLI_METRICS = envbool("JIANLI_METRICS", False)
if JIANLI_METRICS:
    INSTALLED_APPS.append("django_prometheus")
    MIDDLEWARE.insert(0, "django_prometheus.middleware.PrometheusBeforeMiddleware")
    MIDDLEWARE.append("django_prometheus.middleware.PrometheusAfterMiddleware")
# /readyz fails when the replica is further behind than this, or no task worker beat for this long.
JIANLI_REPLICA_MAX_LAG = envfloat("JIANLI_REPLICA_MAX_LAG", 30.0)
JIANLI_WORKER_STALE_SECONDS = envint("JIANLI_WORKER_STALE_SECONDS", 60)
# `jianli scheduler`: how often it queues again the SMS whose retry time has come.
JIANLI_SCHEDULER_RETRY_SECONDS = envint("JIANLI_SCHEDULER_RETRY_SECONDS", 30)
JIANLI_SENTRY_DSN = envstr("JIANLI_SENTRY_DSN")
if JIANLI_SENTRY_DSN:
    from jianli.ops.errors import init_sentry

    init_sentry(JIANLI_SENTRY_DSN, environment=envstr("JIANLI_SENTRY_ENVIRONMENT", "production"))

# --- The service -------------------------------------------------------------------------------------
JIANLI_ITEM_CODE = "11100000000013338W1000117040000"
JIANLI_SMS_PROVIDER = envstr("JIANLI_SMS_PROVIDER", "console")
# Tencent Cloud SMS (tencent) or Alibaba Cloud SMS (aliyun): credentials, the approved signature and template.
JIANLI_SMS_SECRET_ID = envstr("JIANLI_SMS_SECRET_ID")
JIANLI_SMS_SECRET_KEY = envstr("JIANLI_SMS_SECRET_KEY")
JIANLI_SMS_APP_ID = envstr("JIANLI_SMS_APP_ID")
JIANLI_SMS_SIGN_NAME = envstr("JIANLI_SMS_SIGN_NAME")
JIANLI_SMS_TEMPLATE_ID = envstr("JIANLI_SMS_TEMPLATE_ID")
JIANLI_SMS_REGION = envstr("JIANLI_SMS_REGION")
JIANLI_SMS_TENCENT_ENDPOINT = envstr("JIANLI_SMS_TENCENT_ENDPOINT", "https://sms.tencentcloudapi.com/")
JIANLI_SMS_ALIYUN_ENDPOINT = envstr("JIANLI_SMS_ALIYUN_ENDPOINT", "https://dysmsapi.aliyuncs.com/")
JIANLI_SMS_RECEIPT_TOKEN = envstr("JIANLI_SMS_RECEIPT_TOKEN")
JIANLI_FACE_PROVIDER = envstr("JIANLI_FACE_PROVIDER", "local")
JIANLI_FACE_ALLOW_FAKE = envbool("JIANLI_FACE_ALLOW_FAKE", False)
JIANLI_FACE_THRESHOLD = envfloat("JIANLI_FACE_THRESHOLD", 0.5)
JIANLI_FACE_LIVENESS = envbool("JIANLI_FACE_LIVENESS", True)
JIANLI_FACE_ATTEMPTS_PER_HOUR = envint("JIANLI_FACE_ATTEMPTS_PER_HOUR", 5)
JIANLI_FACE_IN_PERSON_DAYS = envint("JIANLI_FACE_IN_PERSON_DAYS", 30)
JIANLI_TENCENT_SECRET_ID = envstr("JIANLI_TENCENT_SECRET_ID")
JIANLI_TENCENT_SECRET_KEY = envstr("JIANLI_TENCENT_SECRET_KEY")
JIANLI_TENCENT_RULE_ID = envstr("JIANLI_TENCENT_RULE_ID")
JIANLI_TENCENT_ENDPOINT = envstr("JIANLI_TENCENT_ENDPOINT", "https://faceid.tencentcloudapi.com/")
JIANLI_WECHAT_ACCESS_TOKEN_URL = envstr("JIANLI_WECHAT_ENDPOINT", "https://api.weixin.qq.com")
JIANLI_WECHAT_APPID = envstr("JIANLI_WECHAT_APPID")
JIANLI_WECHAT_SECRET = envstr("JIANLI_WECHAT_SECRET")
JIANLI_WECHAT_ACCESS_TOKEN = envstr("JIANLI_WECHAT_ACCESS_TOKEN")
# 订阅消息 templates chosen in the mini program's console: JIANLI_WECHAT_TEMPLATE_PROGRESS (办理进度提醒).
JIANLI_WECHAT_TEMPLATES = {
    kind: value for kind, value in {
        "progress": envstr("JIANLI_WECHAT_TEMPLATE_PROGRESS"),
        "expiry": envstr("JIANLI_WECHAT_TEMPLATE_EXPIRY"),
    }.items() if value
}
JIANLI_WECHAT_MINIPROGRAM_STATE = envstr("JIANLI_WECHAT_MINIPROGRAM_STATE", "formal")
JIANLI_PROVIDER_TIMEOUT = envfloat("JIANLI_PROVIDER_TIMEOUT", 10.0)

# Rate limits: (count, seconds).
JIANLI_RATE_CHECK_PER_ADDRESS = (envint("JIANLI_RATE_CHECK_PER_ADDRESS", 10), 60)
JIANLI_RATE_CHECK_PER_ID = (envint("JIANLI_RATE_CHECK_PER_ID", 10), 3600)
# 用户注册 (signing up as an applicant); not the public register search below.
JIANLI_RATE_SIGNUP_PER_ADDRESS = (envint("JIANLI_RATE_SIGNUP_PER_ADDRESS", 20), 3600)
JIANLI_RATE_SIGNUP_PER_ID = (envint("JIANLI_RATE_SIGNUP_PER_ID", 5), 3600)
JIANLI_RATE_SMS_PER_NUMBER = (envint("JIANLI_RATE_SMS_PER_NUMBER", 5), 3600)
JIANLI_RATE_SMS_PER_ADDRESS = (envint("JIANLI_RATE_SMS_PER_ADDRESS", 20), 3600)
JIANLI_RATE_PROGRESS_PER_ADDRESS = (envint("JIANLI_RATE_PROGRESS_PER_ADDRESS", 20), 3600)
JIANLI_RATE_API_PROFILE_PER_ADDRESS = (envint("JIANLI_RATE_API_PROFILE_PER_ADDRESS", 30), 3600)
JIANLI_RATE_API_KEY_PER_MINUTE = envint("JIANLI_RATE_API_KEY_PER_MINUTE", 600)
# Face verification, before the applicant's hourly limit (JIANLI_FACE_ATTEMPTS_PER_HOUR): a credential (a web session
# or API pending token) gets fewer checks than the applicant has (keep it below), so one cannot lock anyone out.
JIANLI_RATE_FACE_START_PER_ADDRESS = (envint("JIANLI_RATE_FACE_START_PER_ADDRESS", 30), 3600)
JIANLI_RATE_FACE_START_PER_CREDENTIAL = (envint("JIANLI_RATE_FACE_START_PER_CREDENTIAL", 10), 3600)
JIANLI_RATE_FACE_FINISH_PER_ADDRESS = (envint("JIANLI_RATE_FACE_FINISH_PER_ADDRESS", 20), 3600)
JIANLI_RATE_FACE_FINISH_PER_CREDENTIAL = (envint("JIANLI_RATE_FACE_FINISH_PER_CREDENTIAL", 4), 3600)
JIANLI_RATE_REGISTER_PER_ADDRESS = (envint("JIANLI_RATE_REGISTER_PER_ADDRESS", 30), 60)

# Electronic certificates and documents: a TrueType Chinese font, and the ministry's signing key (PEM files;
# the demo makes a test CA under var/ instead).
CERTIFICATE_FONT = envstr("JIANLI_CERTIFICATE_FONT")
CERTIFICATE_SIGNING_KEY = envstr("JIANLI_CERTIFICATE_SIGNING_KEY")
CERTIFICATE_SIGNING_CERT = envstr("JIANLI_CERTIFICATE_SIGNING_CERT")
CERTIFICATE_SIGNING_CHAIN = envstr("JIANLI_CERTIFICATE_SIGNING_CHAIN")
CERTIFICATE_SIGNING_PASSPHRASE = envstr("JIANLI_CERTIFICATE_SIGNING_PASSPHRASE")

# API token lifetimes in seconds by kind; 0 keeps the default in jianli/api/credentials.py.
JIANLI_API_TOKEN_TTL = {
    kind: envint(f"JIANLI_API_TOKEN_TTL_{kind.upper()}", 0) for kind in ("profile", "pending", "access", "refresh")
}
# Face providers the API offers besides JIANLI_FACE_PROVIDER (e.g. "wechat" for the mini program).
JIANLI_FACE_API_PROVIDERS = [p for p in envstr("JIANLI_FACE_API_PROVIDERS").split(",") if p]

JIANLI_UPLOAD_MAX_PDF = envint("JIANLI_UPLOAD_MAX_PDF", 2 * 1024 * 1024)
JIANLI_UPLOAD_MAX_IMAGE = envint("JIANLI_UPLOAD_MAX_IMAGE", 500 * 1024)
JIANLI_DRAFT_DAYS = envint("JIANLI_DRAFT_DAYS", 30)
JIANLI_CONTINUING_EDUCATION_HOURS = envint("JIANLI_CONTINUING_EDUCATION_HOURS", 96)
JIANLI_RENEWAL_OPENS_DAYS = envint("JIANLI_RENEWAL_OPENS_DAYS", 90)
# 不予注册决定书: how to seek redress (行政复议法第二十条: 60 days; 行政诉讼法第四十六条: 6 months; a State Council
# department reviews its own decisions, 行政复议法第二十五条). Settings, so that an operator can correct them.
JIANLI_APPEAL_REVIEW_BODY = envstr("JIANLI_APPEAL_REVIEW_BODY", "中华人民共和国住房和城乡建设部")
JIANLI_APPEAL_REVIEW_DAYS = envint("JIANLI_APPEAL_REVIEW_DAYS", 60)
JIANLI_APPEAL_COURT = envstr("JIANLI_APPEAL_COURT", "有管辖权的人民法院")
JIANLI_APPEAL_LITIGATION_MONTHS = envint("JIANLI_APPEAL_LITIGATION_MONTHS", 6)
# 好差评: a rating may be changed for this many days after it is first given; a 差评 is followed up (整改) within
# this many working days (好差评 practice: 15).
JIANLI_RATING_CHANGE_DAYS = envint("JIANLI_RATING_CHANGE_DAYS", 15)
JIANLI_RATING_FOLLOW_UP_DAYS = envint("JIANLI_RATING_FOLLOW_UP_DAYS", 15)
JIANLI_CONTACTS = [
    line.split("|")
    for line in envstr(
        "JIANLI_CONTACTS",
        "住房和城乡建设部执业资格注册中心|010-58933876|工作日 9:00-11:30, 13:30-17:00;"
        "政务服务平台技术支持|010-58934114|工作日 8:30-17:30",
    ).split(";")
    if line
]

# Fail closed: a production server without what it needs does not start (jianli/production.py says what).
_refused = production.refusals(globals(), _GIVEN)
if _refused:
    raise ImproperlyConfigured("Jianli will not start: " + "; ".join(_refused))
