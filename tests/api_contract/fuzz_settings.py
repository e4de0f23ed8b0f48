"""Settings for the contract fuzz run (`make fuzz`): production-like (DEBUG off), the fake face provider,
generous rate limits so the fuzzer reaches the operations, and long-lived tokens so it stays signed in."""

from jianli.settings import *  # noqa: F403

DEBUG = False
DEMO = True
JIANLI_FACE_PROVIDER = "fake"
JIANLI_FACE_ALLOW_FAKE = True
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
JIANLI_RATE_CHECK_PER_ADDRESS = (100_000, 60)
JIANLI_RATE_CHECK_PER_ID = (100_000, 3600)
JIANLI_RATE_SMS_PER_NUMBER = (100_000, 3600)
JIANLI_RATE_SMS_PER_ADDRESS = (100_000, 3600)
JIANLI_RATE_PROGRESS_PER_ADDRESS = (100_000, 3600)
JIANLI_RATE_API_PROFILE_PER_ADDRESS = (100_000, 3600)
JIANLI_RATE_API_KEY_PER_MINUTE = 100_000
JIANLI_API_TOKEN_TTL = {"access": 6 * 3600, "pending": 6 * 3600}
JIANLI_FACE_ATTEMPTS_PER_HOUR = 100_000
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR"},
        # One line per request, counted by fuzz.sh.
        "django.server": {"handlers": ["console"], "level": "INFO"},
    },
}
