"""A face verification is single-use and bound to the credential that started it.

Each way in (the web face page, the API face finish, the 证件照 change on the web and in the API) is tried the way
an attacker would: with an old passed verification, a failed one, an expired one and another person's one, and with
the victim's own pending verification finished from a second credential (obtained with only 姓名 and 身份证号码).
None of them may sign anyone in or change a photo.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from jianli import testing
from jianli.accounts.models import Applicant
from jianli.api import credentials
from jianli.identity.models import FaceVerification
from jianli.testing import b64, cast
from jianli.testing.cast import Api

pytestmark = pytest.mark.django_db

VICTIM = ("李娜", dt.date(1980, 1, 1), 21)
OTHER = ("张伟", dt.date(1981, 2, 2), 33)


def person(name: str, born: dt.date, sequence: int) -> Applicant:
    return cast.applicant(sequence, name, born=born, photo=testing.astronaut(), nickname=name)


def client_id(verification: FaceVerification) -> str:
    """The id a client sees: what the start answered (or, for the web, what the session holds)."""
    return str(getattr(verification, "public_id", None) or verification.pk)


def latest(applicant: Applicant) -> FaceVerification:
    return FaceVerification.objects.filter(applicant=applicant).latest("pk")


class ApiSignIn:
    """POST /api/v1/face-verifications/{id}/finish with a pending token (from the registered-user check)."""

    def credential(self, applicant: Applicant) -> Any:
        return credentials.pending_token_issue(applicant=applicant, profile=None)[0]

    def start(self, cred: Any, applicant: Applicant) -> str:
        r = Api().post("face-verifications", {"consent": True}, token=cred)
        assert r.status_code == 201, r.content
        return str(r.json()["id"])

    def finish(self, cred: Any, vid: str, scenario: str) -> tuple[int, bool]:
        r = Api().post(f"face-verifications/{vid}/finish", {"fields": {"scenario": scenario}}, token=cred)
        return r.status_code, r.status_code == 200 and bool(r.json().get("tokens"))


class WebSignIn:
    """/face/ with a web session that passed the registered-user check (/check/ with 姓名 and 身份证号码)."""

    key = "face_verification_id"

    def credential(self, applicant: Applicant) -> Any:
        client = Client()
        client.post("/welcome/", {"nickname": "访客"})
        r = client.post("/check/", {"name": applicant.name, "id_number": applicant.id_number})
        assert r.status_code == 302 and r["Location"] == "/face/", r.content
        return client

    def start(self, cred: Any, applicant: Applicant) -> str:
        r = cred.post("/face/", {"step": "consent", "consent": "on"})
        assert r.status_code == 200, r.content
        return str(cred.session[self.key])

    def finish(self, cred: Any, vid: str, scenario: str) -> tuple[int, bool]:
        session = cred.session
        if str(session.get(self.key)) != vid:
            # As if the id had leaked to this session: the session, not the id, must decide.
            session[self.key] = int(vid) if vid.isdigit() else vid
            session.save()
        r = cred.post("/face/", {"step": "finish", "scenario": scenario})
        return r.status_code, r.status_code == 200 and any(
            t.name == "identity/passed.html" for t in r.templates
        )


class ApiPhoto:
    """POST /api/v1/me/id-photo/{id}/finish with an access token."""

    def credential(self, applicant: Applicant) -> Any:
        return credentials.token_pair_issue(applicant=applicant, profile=None).access_token

    def start(self, cred: Any, applicant: Applicant) -> str:
        r = Api().post("me/id-photo", {"id_photo": b64(testing.astronaut())}, token=cred)
        assert r.status_code == 201, r.content
        return str(r.json()["id"])

    def finish(self, cred: Any, vid: str, scenario: str) -> tuple[int, bool]:
        r = Api().post(f"me/id-photo/{vid}/finish", {"fields": {"scenario": scenario}}, token=cred)
        return r.status_code, r.status_code == 200 and bool(r.json().get("changed"))


class WebPhoto:
    """/profile/photo/ with a signed-in web session."""

    key = "photo_verification_id"

    def credential(self, applicant: Applicant) -> Any:
        client = Client()
        cast.sign_in(client, applicant)
        return client

    def start(self, cred: Any, applicant: Applicant) -> str:
        upload = SimpleUploadedFile("new.jpg", testing.astronaut(), "image/jpeg")
        r = cred.post("/profile/photo/", {"action": "photo", "id_photo": upload})
        assert r.status_code == 200, r.content
        return str(cred.session[self.key])

    def finish(self, cred: Any, vid: str, scenario: str) -> tuple[int, bool]:
        session = cred.session
        session[self.key] = int(vid) if vid.isdigit() else vid
        session.save()
        r = cred.post("/profile/photo/", {"step": "finish", "scenario": scenario})
        # Only what this request said (an earlier 已更换 may still wait in the session).
        changed = any("证件照已更换" in str(m) for m in r.wsgi_request._messages._queued_messages)
        return r.status_code, changed


ENTRY_POINTS = [ApiSignIn(), WebSignIn(), ApiPhoto(), WebPhoto()]
IDS = ["api", "web", "api-photo", "web-photo"]


@pytest.fixture(params=ENTRY_POINTS, ids=IDS)
def way(request):  # type: ignore[no-untyped-def]
    return request.param


@pytest.fixture
def victim() -> Applicant:
    return person(*VICTIM)


def test_an_old_passed_verification_is_refused_from_a_new_credential_and_from_its_own(way, victim):
    own = way.credential(victim)
    vid = way.start(own, victim)
    assert way.finish(own, vid, "pass")[1] is True
    attacker = way.credential(victim)
    assert way.finish(attacker, vid, "pass")[1] is False
    status, granted = way.finish(own, vid, "pass")
    assert not granted and status in (302, 401, 403, 404, 409)


def test_a_failed_verification_cannot_be_finished_again(way, victim):
    own = way.credential(victim)
    vid = way.start(own, victim)
    assert way.finish(own, vid, "no_match")[1] is False
    status, granted = way.finish(own, vid, "pass")
    assert (status, granted) == (409, False)
    assert latest(victim).status == FaceVerification.Status.FAILED
    assert way.finish(way.credential(victim), vid, "pass")[1] is False


def test_an_expired_verification_is_refused(way, victim):
    own = way.credential(victim)
    vid = way.start(own, victim)
    FaceVerification.objects.filter(applicant=victim).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    status, granted = way.finish(own, vid, "pass")
    assert not granted and status != 200
    assert latest(victim).status != FaceVerification.Status.PASSED


def test_another_persons_verification_is_refused(way, victim):
    other = person(*OTHER)
    theirs = way.start(way.credential(other), other)
    assert way.finish(way.credential(victim), theirs, "pass")[1] is False
    assert latest(other).status == FaceVerification.Status.PENDING


def test_the_victims_pending_verification_is_refused_to_a_second_credential(way, victim):
    # The attacker holds a credential for the victim (the check needs only 姓名 and 身份证号码) but did not start
    # this verification: the victim's own finish must still work afterwards.
    own = way.credential(victim)
    vid = way.start(own, victim)
    attacker = way.credential(victim)
    status, granted = way.finish(attacker, vid, "pass")
    assert not granted and status in (302, 403, 404, 409)
    assert latest(victim).status == FaceVerification.Status.PENDING
    assert way.finish(own, vid, "pass")[1] is True


def test_the_api_hands_out_unguessable_ids_and_spends_the_pending_token(victim):
    pending = credentials.pending_token_issue(applicant=victim, profile=None)[0]
    api = Api()
    started = api.post("face-verifications", {"consent": True}, token=pending).json()
    verification = latest(victim)
    assert isinstance(started["id"], str) and len(started["id"]) >= 20 and started["id"] != str(verification.pk)
    assert api.post(f"face-verifications/{verification.pk}/finish", {"fields": {}}, token=pending).status_code == 404
    assert api.post(f"face-verifications/{started['id']}/finish", {"fields": {}}, token=pending).json()["tokens"]
    # Spent: the same pending token can start nothing more.
    assert api.post("face-verifications", {"consent": True}, token=pending).status_code == 401


def test_a_second_finish_of_the_same_verification_gets_409_and_no_second_sign_in(victim):
    from jianli.audit.models import AuditEvent

    pending = credentials.pending_token_issue(applicant=victim, profile=None)[0]
    api = Api()
    vid = api.post("face-verifications", {"consent": True}, token=pending).json()["id"]
    first = api.post(f"face-verifications/{vid}/finish", {"fields": {"scenario": "pass"}}, token=pending)
    assert first.status_code == 200 and first.json()["tokens"]
    again = ApiSignIn().credential(victim)
    second = api.post(f"face-verifications/{vid}/finish", {"fields": {"scenario": "pass"}}, token=again)
    assert second.status_code == 409 and "tokens" not in second.json()
    assert AuditEvent.objects.filter(action="applicant_signed_in", applicant_id=victim.pk).count() == 1
