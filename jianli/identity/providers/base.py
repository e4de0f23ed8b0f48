from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from jianli.identity.models import FaceVerification, Reason


class FaceError(Exception):
    """The one error type of every provider: a reason code, and whether trying again may help."""

    def __init__(self, reason: Reason, detail: str = "", *, score: float | None = None, request_id: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else str(reason))
        self.reason = reason
        self.detail = detail
        self.score = score
        self.request_id = request_id


@dataclass
class Passed:
    score: float | None = None
    request_id: str = ""


@dataclass
class Started:
    """What the client needs to run the check: prompts, or a provider token."""

    client: dict[str, Any] = field(default_factory=dict)
    token: str = ""
    challenge: list[str] = field(default_factory=list)


class FaceProvider:
    name: ClassVar[str]
    # Whether the check can compare the face with a photo we supply (needed to change the 证件照).
    compares_candidate: ClassVar[bool] = False
    registry: ClassVar[dict[str, type[FaceProvider]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if getattr(cls, "name", None):
            FaceProvider.registry[cls.name] = cls

    def start(self, verification: FaceVerification) -> Started:
        return Started()

    def finish(self, verification: FaceVerification, payload: dict[str, Any]) -> Passed:
        raise NotImplementedError


def reference_photo(verification: FaceVerification) -> bytes | None:
    """What the live face is compared with: the new 证件照 when changing it, else the stored one."""
    if verification.purpose == FaceVerification.Purpose.PHOTO_CHANGE:
        return verification.candidate
    return verification.applicant.id_photo()


def get_provider(name: str | None = None) -> FaceProvider:
    from jianli.identity import providers  # noqa: F401  (registers every provider; cycle: they import this module)

    name = name or settings.JIANLI_FACE_PROVIDER
    if name == "fake" and not (settings.DEBUG or settings.JIANLI_FACE_ALLOW_FAKE):
        raise ImproperlyConfigured("the fake face provider is for tests and demos only")
    try:
        return FaceProvider.registry[name]()
    except KeyError:
        raise ImproperlyConfigured(f"unknown JIANLI_FACE_PROVIDER {name!r}") from None
