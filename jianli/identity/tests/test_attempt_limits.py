"""Attempt limits hold where the face is judged (the finish), and locking someone else out is not free.

Per address and per credential come before the applicant's hourly limit, so one attacker who knows a victim's
姓名 and 身份证号码 cannot use up the victim's attempts from one credential or one address.
"""

from __future__ import annotations

import datetime as dt
import secrets

import pytest
from django.test import Client
from django.utils import timezone

from jianli import testing
from jianli.accounts.models import Applicant
from jianli.api import credentials
from jianli.identity import services
from jianli.identity.models import FaceVerification, Reason
from jianli.testing import cast
from jianli.testing.cast import Api

pytestmark = pytest.mark.django_db


@pytest.fixture
def victim() -> Applicant:
    return cast.applicant(21, "李娜", born=dt.date(1980, 1, 1), photo=testing.astronaut(), nickname="李娜")


def api_from(address: str) -> Api:
    api = Api()
    api.client = Client(REMOTE_ADDR=address)
    return api


def pending(applicant: Applicant) -> str:
    return credentials.pending_token_issue(applicant=applicant, profile=None)[0]


def start(api: Api, token: str):  # type: ignore[no-untyped-def]
    return api.post("face-verifications", {"consent": True}, token=token)


def finish(api: Api, token: str, vid: str, scenario: str):  # type: ignore[no-untyped-def]
    return api.post(f"face-verifications/{vid}/finish", {"fields": {"scenario": scenario}}, token=token)


def attempt(api: Api, token: str, scenario: str):  # type: ignore[no-untyped-def]
    started = start(api, token)
    assert started.status_code == 201, started.content
    return finish(api, token, started.json()["id"], scenario)


def failed_elsewhere(applicant: Applicant, n: int = 1) -> None:
    """Failures evaluated meanwhile through another credential (another phone, another server)."""
    now = timezone.now()
    for _ in range(n):
        FaceVerification.objects.create(
            applicant=applicant, provider="fake", nonce=secrets.token_urlsafe(24), credential="x" * 64,
            status=FaceVerification.Status.FAILED, reason=Reason.NO_MATCH,
            expires_at=now, claimed_at=now, finished_at=now,
        )


def test_the_limit_is_enforced_when_the_face_is_judged_not_only_at_start(victim, settings):
    settings.JIANLI_FACE_ATTEMPTS_PER_HOUR = 2
    api, token = api_from("10.0.0.1"), pending(victim)
    started = start(api, token)
    assert started.status_code == 201 and started.json()["attempts_left"] == 2
    failed_elsewhere(victim, 2)
    r = finish(api, token, started.json()["id"], "pass")
    assert r.status_code == 429 and "现场核验" in r.json()["message"]
    assert FaceVerification.objects.get(public_id=started.json()["id"]).status != FaceVerification.Status.PASSED


def test_a_new_start_supersedes_the_pending_one_without_costing_an_attempt(victim):
    api = api_from("10.0.0.2")
    first_token, second_token = pending(victim), pending(victim)
    first = start(api, first_token).json()["id"]
    second = start(api, second_token).json()["id"]
    assert FaceVerification.objects.filter(applicant=victim, status=FaceVerification.Status.PENDING).count() == 1
    old = FaceVerification.objects.get(public_id=first)
    assert (old.status, old.reason) == (FaceVerification.Status.FAILED, Reason.CANCELLED)
    assert finish(api, first_token, first, "pass").status_code == 409
    assert services.attempts_left(victim) == 5
    r = finish(api, second_token, second, "pass")
    assert r.status_code == 200 and r.json()["tokens"]


def test_starts_are_limited_per_credential(victim, settings):
    settings.JIANLI_RATE_FACE_START_PER_CREDENTIAL = (3, 3600)
    api, token = api_from("10.0.0.3"), pending(victim)
    for _ in range(3):
        assert start(api, token).status_code == 201
    r = start(api, token)
    assert r.status_code == 429 and r.json()["code"] == "rate_limited"


def test_starts_are_limited_per_address(victim, settings):
    settings.JIANLI_RATE_FACE_START_PER_ADDRESS = (3, 3600)
    api = api_from("10.0.0.4")
    for _ in range(3):
        assert start(api, pending(victim)).status_code == 201
    assert start(api, pending(victim)).status_code == 429
    # Another address is not affected.
    assert start(api_from("10.0.0.5"), pending(victim)).status_code == 201


def test_one_credential_cannot_use_up_the_victims_attempts(victim, settings):
    attacker, token = api_from("10.0.0.6"), pending(victim)
    refused = None
    for _ in range(settings.JIANLI_FACE_ATTEMPTS_PER_HOUR):
        r = attempt(attacker, token, "no_match")
        if r.status_code == 429:
            refused = r
            break
        assert r.status_code == 200 and r.json()["status"] == "failed"
    assert refused is not None and refused.json()["code"] == "rate_limited"
    assert services.attempts_left(victim) > 0
    # The victim, on her own phone, still gets in.
    r = attempt(api_from("10.9.9.9"), pending(victim), "pass")
    assert r.status_code == 200 and r.json()["tokens"]


def test_the_address_limit_comes_before_the_applicants(victim, settings):
    settings.JIANLI_RATE_FACE_FINISH_PER_ADDRESS = (2, 3600)
    attacker = api_from("10.0.0.7")
    for _ in range(2):
        assert attempt(attacker, pending(victim), "no_match").json()["status"] == "failed"
    r = attempt(attacker, pending(victim), "no_match")
    assert r.status_code == 429 and r.json()["code"] == "rate_limited"
    assert services.attempts_left(victim) == 3


def test_at_the_applicants_limit_the_message_names_the_assisted_route(victim, settings):
    settings.JIANLI_FACE_ATTEMPTS_PER_HOUR = 2
    for n in range(2):
        assert attempt(api_from(f"10.1.0.{n}"), pending(victim), "no_match").json()["status"] == "failed"
    r = start(api_from("10.1.0.9"), pending(victim))
    assert r.status_code == 429 and "现场核验" in r.json()["message"]
    assert services.locked_until(victim) is not None


def test_the_web_page_refuses_at_finish_with_the_assisted_route(victim, settings):
    settings.JIANLI_FACE_ATTEMPTS_PER_HOUR = 1
    client = Client()
    client.post("/welcome/", {"nickname": "访客"})
    client.post("/check/", {"name": "李娜", "id_number": testing.id_number(dt.date(1980, 1, 1), 21)})
    assert client.post("/face/", {"step": "consent", "consent": "on"}).status_code == 200
    failed_elsewhere(victim)
    r = client.post("/face/", {"step": "finish", "scenario": "pass"})
    assert r.status_code == 429 and "现场核验" in r.content.decode()
    assert "applicant_id" not in client.session


def test_a_failure_in_flight_counts_so_parallel_finishes_cannot_exceed_the_limit(victim, settings):
    settings.JIANLI_FACE_ATTEMPTS_PER_HOUR = 1
    api, token = api_from("10.0.0.8"), pending(victim)
    vid = start(api, token).json()["id"]
    # Another finish of this applicant is being judged right now (claimed, not yet decided).
    now = timezone.now()
    FaceVerification.objects.create(
        applicant=victim, provider="fake", nonce="in-flight", credential="y" * 64,
        expires_at=now + dt.timedelta(minutes=5), claimed_at=now,
    )
    assert finish(api, token, vid, "pass").status_code == 429


@pytest.mark.django_db(transaction=True)
def test_parallel_finishes_of_one_attempt_are_judged_once(settings):
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    from jianli.errors import ServiceError

    if connection.vendor != "postgresql":
        pytest.skip("row locks and parallel connections: the PostgreSQL pass")
    settings.JIANLI_RATE_FACE_FINISH_PER_CREDENTIAL = (100, 3600)
    applicant = cast.applicant(45, "王芳", born=dt.date(1982, 3, 3), photo=testing.astronaut(), profile=False)
    verification, _ = services.verification_start(applicant=applicant, credential="phone")

    def finish_once(_: int) -> str:
        try:
            return services.verification_finish(verification=verification, credential="phone", payload={}).status
        except ServiceError as e:
            return str(e.status)
        finally:
            connection.close()

    with ThreadPoolExecutor(6) as pool:
        outcomes = sorted(pool.map(finish_once, range(6)))
    assert outcomes == ["409"] * 5 + ["passed"]
    from jianli.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="face_verification", applicant_id=applicant.pk).count() == 1


def test_the_answer_counts_what_is_left_after_this_check_and_those_judged_elsewhere(victim, settings):
    settings.JIANLI_FACE_ATTEMPTS_PER_HOUR = 4
    api, token = api_from("10.0.0.9"), pending(victim)
    started = start(api, token)
    failed_elsewhere(victim, 1)  # after the start, before the finish: the finish's count sees it
    r = finish(api, token, started.json()["id"], "no_match")
    assert r.json()["status"] == "failed" and r.json()["attempts_left"] == 2 == services.attempts_left(victim)
    r = attempt(api, pending(victim), "pass")
    assert r.json()["status"] == "passed" and r.json()["attempts_left"] == 2 == services.attempts_left(victim)
