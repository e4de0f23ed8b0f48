"""For tests and demos only: the outcome is the scenario the client names."""

from __future__ import annotations

from typing import Any

from jianli.identity.models import FaceVerification, Reason
from jianli.identity.providers.base import FaceError, FaceProvider, Passed, Started

SCENARIOS = {
    "pass": None,
    "no_match": Reason.NO_MATCH,
    "not_live": Reason.NOT_LIVE,
    "timeout": Reason.TIMEOUT,
    "outage": Reason.UNAVAILABLE,
}


class FakeProvider(FaceProvider):
    name = "fake"
    compares_candidate = True

    def start(self, verification: FaceVerification) -> Started:
        return Started(client={"scenarios": list(SCENARIOS)})

    def finish(self, verification: FaceVerification, payload: dict[str, Any]) -> Passed:
        scenario = str(payload.get("scenario") or "pass")
        if scenario not in SCENARIOS:
            raise FaceError(Reason.NO_FACE, f"unknown scenario {scenario}")
        reason = SCENARIOS[scenario]
        if reason is not None:
            raise FaceError(reason, "fake", score=0.1 if reason == Reason.NO_MATCH else None)
        return Passed(score=0.99, request_id=f"fake-{verification.nonce[:8]}")
