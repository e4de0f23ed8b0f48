"""SMS provider interface: a base class, one error type, a registry chosen by JIANLI_SMS_PROVIDER."""

from __future__ import annotations

import logging
import re
import uuid
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from jianli.identifiers import mask_mobile

log = logging.getLogger("jianli.sms")


class TransportError(Exception):
    def __init__(self, message: str, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class SmsProvider:
    name: ClassVar[str]
    registry: ClassVar[dict[str, type[SmsProvider]]] = {}

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        SmsProvider.registry[cls.name] = cls

    def send(self, mobile: str, text: str) -> str:
        """Send one message; return the provider's message id or raise TransportError."""
        raise NotImplementedError


class ConsoleProvider(SmsProvider):
    """The embedded default: writes the message to the server log, with the number masked."""

    name = "console"

    def send(self, mobile: str, text: str) -> str:
        # Never a code in a log: digits go as stars (the demo shows the code on the page instead).
        log.info("SMS to %s: %s", mask_mobile(mobile), re.sub(r"\d{4,}", lambda m: "*" * len(m[0]), text))
        return f"console-{uuid.uuid4().hex[:12]}"


def get_sms_provider() -> SmsProvider:
    from jianli.notifications import vendors  # noqa: F401  (registers tencent and aliyun; cycle: they import this module)

    if settings.JIANLI_SMS_PROVIDER == "console" and not settings.DEMO:
        raise ImproperlyConfigured("JIANLI_SMS_PROVIDER=console only writes to the log: demo mode only")
    try:
        return SmsProvider.registry[settings.JIANLI_SMS_PROVIDER]()
    except KeyError:
        raise ImproperlyConfigured(f"unknown JIANLI_SMS_PROVIDER {settings.JIANLI_SMS_PROVIDER!r}") from None
