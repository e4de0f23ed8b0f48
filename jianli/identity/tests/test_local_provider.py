"""The local provider end to end through the service: one frame against the 证件照, or the head-turn challenge."""

from __future__ import annotations

import pytest
from PIL import Image

from jianli import testing
from jianli.audit.models import AuditEvent
from jianli.identity import liveness, services
from jianli.identity.models import FaceVerification, Reason
from jianli.testing import jpeg, on_canvas


@pytest.fixture(autouse=True)
def _local(settings):  # type: ignore[no-untyped-def]
    settings.JIANLI_FACE_PROVIDER = "local"
    settings.JIANLI_FACE_LIVENESS = False


def run(applicant, payload):  # type: ignore[no-untyped-def]
    verification, started = services.verification_start(credential="test", applicant=applicant)
    return services.verification_finish(credential="test", verification=verification, payload={"nonce": started.client["nonce"], **payload})


def test_the_applicant_matches_her_own_id_photo(make_applicant):
    done = run(make_applicant(), {"frame_0": on_canvas(testing.astronaut())})
    assert done.status == FaceVerification.Status.PASSED
    assert done.score is not None and done.score >= 0.5
    assert AuditEvent.objects.filter(action="face_verification", detail__result="passed").count() == 1


def test_someone_else_does_not_match(make_applicant):
    done = run(make_applicant(), {"frame_0": on_canvas(testing.grace_hopper())})
    assert (done.status, done.reason) == (FaceVerification.Status.FAILED, Reason.NO_MATCH)
    assert done.score is not None and done.score < 0.5


@pytest.mark.parametrize(
    "frame,reason",
    [
        (testing.cat(), Reason.NO_FACE),
        (jpeg(Image.new("RGB", (640, 480))), Reason.TOO_DARK),
        (b"", Reason.NO_FACE),
    ],
)
def test_frames_without_a_usable_face_say_why(make_applicant, frame, reason):
    assert run(make_applicant(), {"frame_0": frame}).reason == reason


def test_a_wrong_nonce_is_refused(make_applicant):
    verification, _ = services.verification_start(credential="test", applicant=make_applicant())
    done = services.verification_finish(
        credential="test", verification=verification, payload={"nonce": "forged", "frame_0": on_canvas(testing.astronaut())}
    )
    assert done.reason == Reason.EXPIRED


def test_with_liveness_the_challenge_has_a_front_and_a_turn(make_applicant, settings):
    settings.JIANLI_FACE_LIVENESS = True
    verification, started = services.verification_start(credential="test", applicant=make_applicant())
    assert verification.challenge == started.client["prompts"]
    assert "front" in verification.challenge and len(verification.challenge) >= 2
    assert started.client["labels"][verification.challenge.index("front")] == "正视"


def test_with_liveness_one_uploaded_picture_cannot_pass(make_applicant, settings):
    settings.JIANLI_FACE_LIVENESS = True
    done = run(make_applicant(), {"frame_0": on_canvas(testing.astronaut())})
    assert done.reason == Reason.NOT_LIVE


def test_with_liveness_the_same_photo_for_every_prompt_is_not_live(make_applicant, settings):
    settings.JIANLI_FACE_LIVENESS = True
    frame = on_canvas(testing.astronaut())
    done = run(make_applicant(), {f"frame_{i}": frame for i in range(3)})
    assert done.reason == Reason.NOT_LIVE
    assert done.score is not None and done.score >= 0.5  # the identity matched; only liveness failed


def test_with_liveness_a_different_person_in_a_turn_frame_is_no_match(make_applicant, settings):
    settings.JIANLI_FACE_LIVENESS = True
    verification, started = services.verification_start(credential="test", applicant=make_applicant())
    frames = {
        f"frame_{i}": on_canvas(testing.astronaut() if p == "front" else testing.grace_hopper())
        for i, p in enumerate(started.client["prompts"])
    }
    assert services.verification_finish(credential="test", verification=verification, payload=frames).reason == Reason.NO_MATCH


def test_with_liveness_the_landmarks_go_to_the_rule_in_prompt_order(make_applicant, settings, monkeypatch):
    settings.JIANLI_FACE_LIVENESS = True
    seen = {}

    def rule(prompts, landmarks):  # type: ignore[no-untyped-def]
        seen["prompts"], seen["n"] = list(prompts), len(landmarks)
        return True

    monkeypatch.setattr(liveness, "head_turns_ok", rule)
    verification, started = services.verification_start(credential="test", applicant=make_applicant())
    frame = on_canvas(testing.astronaut())
    done = services.verification_finish(
        credential="test", verification=verification, payload={f"frame_{i}": frame for i in range(len(started.client["prompts"]))}
    )
    assert done.status == FaceVerification.Status.PASSED
    assert seen == {"prompts": verification.challenge, "n": len(verification.challenge)}


def test_the_id_photos_embedding_is_computed_once_stored_encrypted_and_reused(make_applicant):
    from django.core.files.storage import default_storage
    from django.db import connection

    from jianli.accounts.models import Applicant

    applicant = make_applicant()
    assert applicant.id_photo_embedding  # computed when the 证件照 was set
    with connection.cursor() as c:
        c.execute("SELECT id_photo_embedding FROM accounts_applicant WHERE id = %s", [applicant.pk])
        stored = c.fetchone()[0]
    assert stored and applicant.id_photo_embedding not in stored  # ciphertext at rest
    # The check compares with the stored embedding: the photo is not read (nor decrypted) again.
    default_storage.delete(applicant.id_photo_path)
    assert run(Applicant.objects.get(pk=applicant.pk), {"frame_0": on_canvas(testing.astronaut())}).status == (
        FaceVerification.Status.PASSED)


def test_a_photo_stored_before_embeddings_gets_one_at_its_first_check(make_applicant):
    from jianli.accounts.models import Applicant

    applicant = make_applicant()
    Applicant.objects.filter(pk=applicant.pk).update(id_photo_embedding="")
    assert run(Applicant.objects.get(pk=applicant.pk), {"frame_0": on_canvas(testing.astronaut())}).status == (
        FaceVerification.Status.PASSED)
    assert Applicant.objects.get(pk=applicant.pk).id_photo_embedding


def test_the_finish_reads_back_nothing_it_already_has(make_applicant, django_assert_max_num_queries):
    # The claim (applicant locked, attempt, hourly count, compare-and-set), then the outcome with its audit
    # under the applicant's lock again: the applicant read under the lock and the outcome written are reused.
    applicant = make_applicant()
    verification, _ = services.verification_start(credential="test", applicant=applicant)
    found = FaceVerification.objects.get(pk=verification.pk)
    with django_assert_max_num_queries(11):
        done = services.verification_finish(
            credential="test", verification=found, payload={"frame_0": on_canvas(testing.astronaut())}
        )
        assert done.applicant.pk == applicant.pk
    assert (done.status, done.reason, done.claimed_at is not None) == (FaceVerification.Status.PASSED, "", True)
    stored = FaceVerification.objects.get(pk=verification.pk)
    assert (done.score, done.finished_at, done.request_id) == (stored.score, stored.finished_at, stored.request_id)
