"""Jianli settings: every deploy knob read from the environment, one module per concern.

env (the readers and var/), security (secrets, sessions, headers), data (database, cache, files, tasks) and
integrations (SMS, face, WeChat, certificates, the service's limits); this module assembles them with the apps,
middleware, templates and logging, then refuses to start a production server that lacks what it needs.

With no variable set it runs embedded: SQLite and files under var/, keys generated into var/ on first run.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from jianli import production
from jianli.settings.data import *  # noqa: F403
from jianli.settings.env import BASE_DIR, envbool, envfloat, envint, envstr
from jianli.settings.integrations import *  # noqa: F403
from jianli.settings.security import *  # noqa: F403
from jianli.settings.security import _GIVEN, DEBUG

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
    # Query strings and form fields hold nothing a database refuses (NUL, lone surrogates): jianli/text.py.
    "jianli.text.InputGuardMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "jianli.middleware.ResponseHeadersMiddleware",
    "jianli.middleware.ApiErrorMiddleware",
    "jianli.accounts.middleware.SessionMiddleware",
    "jianli.accounts.middleware.SessionLifetimeMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jianli.audit.context.RequestContextMiddleware",
    "jianli.accounts.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "jianli.accounts.middleware.ApplicantMiddleware",
    "axes.middleware.AxesMiddleware",
    "jianli.replica.PrimaryPinMiddleware",
]

ROOT_URLCONF = "jianli.urls"
WSGI_APPLICATION = "jianli.wsgi.application"

TEMPLATES = [
    {
        # The pages (jianli/templating.py). Django's engine below serves the operators' admin.
        "NAME": "jinja2",
        "BACKEND": "jianli.templating.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "jianli.templating.environment",
            "context_processors": [
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jianli.portal.context.service",
            ],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

LANGUAGE_CODE = "zh-hans"
# Every page is in Chinese only: no other language is claimed, whatever the browser asks for.
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# JSON lines (one object per record, with the request id) unless plain text is asked for; plain in debug.
LOG_FORMAT = envstr("JIANLI_LOG_FORMAT", "plain" if DEBUG else "json")
_LOG_FORMATTERS: dict[str, dict[str, object]] = {
    "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    "json": {
        "()": "pythonjsonlogger.json.JsonFormatter",
        "format": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(process)d %(message)s",
        "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger", "process": "pid"},
        "json_ensure_ascii": False,
    },
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "jianli.ops.context.RequestIdFilter"}},
    "formatters": _LOG_FORMATTERS,
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]}
    },
    "root": {"handlers": ["console"], "level": envstr("JIANLI_LOG_LEVEL", "INFO")},
    "loggers": {"django.server": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
if LOG_FORMAT not in _LOG_FORMATTERS:
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
    # Settings-time: sentry_sdk and its Django integration load only when errors are reported.
    from jianli.ops.errors import init_sentry

    init_sentry(JIANLI_SENTRY_DSN, environment=envstr("JIANLI_SENTRY_ENVIRONMENT", "production"))

# Fail closed: a production server without what it needs does not start (jianli/production.py says what).
_refused = production.refusals(globals(), _GIVEN)
if _refused:
    raise ImproperlyConfigured("Jianli will not start: " + "; ".join(_refused))
