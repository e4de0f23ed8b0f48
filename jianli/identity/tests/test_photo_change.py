"""更换证件照: the live capture is compared with the NEW photo; it changes only on a pass, and no image is left."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jianli import testing
from jianli.accounts.models import Applicant, Profile
from jianli.audit.models import AuditEvent
from jianli.errors import ServiceError
from jianli.identity import services
from jianli.identity.models import FaceVerification, Reason
from jianli.identity.providers.tencent import TencentProvider
from jianli.identity.tests.test_privacy import all_stored_values, files_under
from jianli.testing import on_canvas

PHOTO_CHANGE = FaceVerification.Purpose.PHOTO_CHANGE


@pytest.fixture(autouse=True)
def _local(settings):  # type: ignore[no-untyped-def]
    settings.JIANLI_FACE_PROVIDER = "local"
    settings.JIANLI_FACE_LIVENESS = False


def change(applicant: Applicant, new_photo: bytes, frame: bytes) -> FaceVerification:
    verification, started = services.verification_start(
        credential="test", applicant=applicant, purpose=PHOTO_CHANGE, candidate=new_photo
    )
    return services.verification_finish(
        credential="test", verification=verification, payload={"nonce": started.client["nonce"], "frame_0": frame}
    )


def test_the_capture_matching_the_new_photo_changes_it(make_applicant):
    applicant = make_applicant(testing.grace_hopper())
    done = change(applicant, testing.astronaut(), on_canvas(testing.astronaut()))
    assert (done.status, done.purpose) == (FaceVerification.Status.PASSED, PHOTO_CHANGE)
    assert done.score is not None and done.score >= 0.5
    applicant.refresh_from_db()
    assert applicant.id_photo() == testing.astronaut()
    assert AuditEvent.objects.filter(action="profile_changed", detail__fields=["id_photo"]).count() == 1
    assert AuditEvent.objects.filter(action="face_verification", detail__purpose="photo_change").count() == 1
    assert cache.get(f"face:candidate:{done.nonce}") is None


def test_a_capture_of_someone_else_is_refused_even_if_it_is_the_stored_photos_person(make_applicant):
    # Stored: grace_hopper; new: astronaut; captured: grace_hopper. It is compared with the NEW photo.
    applicant = make_applicant(testing.grace_hopper())
    before = applicant.id_photo_path
    done = change(applicant, testing.astronaut(), on_canvas(testing.grace_hopper()))
    assert (done.status, done.reason) == (FaceVerification.Status.FAILED, Reason.NO_MATCH)
    applicant.refresh_from_db()
    assert applicant.id_photo_path == before and applicant.id_photo() == testing.grace_hopper()
    assert not AuditEvent.objects.filter(action="profile_changed").exists()
    assert cache.get(f"face:candidate:{done.nonce}") is None


def test_a_failed_photo_change_counts_against_the_hourly_limit(make_applicant, settings):
    settings.JIANLI_FACE_ATTEMPTS_PER_HOUR = 1
    applicant = make_applicant()
    change(applicant, testing.astronaut(), on_canvas(testing.grace_hopper()))
    with pytest.raises(ServiceError) as e:
        services.verification_start(credential="test", applicant=applicant, purpose=PHOTO_CHANGE, candidate=testing.astronaut())
    assert e.value.status == 429


def test_without_the_held_photo_the_attempt_expires(make_applicant):
    applicant = make_applicant(testing.grace_hopper())
    verification, started = services.verification_start(
        credential="test", applicant=applicant, purpose=PHOTO_CHANGE, candidate=testing.astronaut()
    )
    cache.clear()  # as after ten minutes
    done = services.verification_finish(
        credential="test", verification=verification, payload={"nonce": started.client["nonce"], "frame_0": on_canvas(testing.astronaut())}
    )
    assert done.reason == Reason.EXPIRED
    assert Applicant.objects.get(pk=applicant.pk).id_photo() == testing.grace_hopper()


def test_the_held_photo_is_encrypted_and_short_lived(make_applicant):
    applicant = make_applicant()
    verification, _ = services.verification_start(
        credential="test", applicant=applicant, purpose=PHOTO_CHANGE, candidate=testing.grace_hopper()
    )
    sealed = cache.get(f"face:candidate:{verification.nonce}")
    assert sealed and b"JFIF" not in sealed and not sealed.startswith(b"\xff\xd8")
    assert services.ATTEMPT_TTL.total_seconds() <= 600


def test_a_provider_that_cannot_compare_with_our_photo_is_refused(make_applicant, settings):
    with pytest.raises(ServiceError) as e:
        services.verification_start(
            credential="test", applicant=make_applicant(), provider="wechat", purpose=PHOTO_CHANGE, candidate=testing.astronaut()
        )
    assert e.value.status == 422 and "provider" in e.value.fields
    assert not FaceVerification.objects.exists()


def test_tencent_is_given_the_new_photo_to_compare_with(make_applicant, monkeypatch):
    sent: list[dict[str, Any]] = []

    def call(self, action: str, params: dict[str, Any]) -> dict[str, Any]:  # type: ignore[no-untyped-def]
        sent.append(params)
        return {"BizToken": "biz"}

    monkeypatch.setattr(TencentProvider, "call", call)
    services.verification_start(
        credential="test", applicant=make_applicant(), provider="tencent", purpose=PHOTO_CHANGE, candidate=testing.astronaut()
    )
    services.verification_start(credential="test", applicant=make_applicant(sequence=13), provider="tencent")
    assert base64.b64decode(sent[0]["ImageBase64"]) == testing.astronaut()
    assert "ImageBase64" not in sent[1]


def test_the_page_flow_leaves_only_the_new_encrypted_photo(make_applicant, settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    (tmp_path / "uploads").mkdir()
    applicant = make_applicant(testing.grace_hopper())
    old_path = applicant.id_photo_path
    Profile.objects.create(nickname="张", applicant=applicant)
    client = Client()
    session = client.session
    session["applicant_id"] = applicant.pk
    session["profile_id"] = applicant.profile.pk
    session.save()

    page = client.post(
        "/profile/photo/", {"id_photo": SimpleUploadedFile("new.jpg", testing.astronaut(), "image/jpeg")}
    )
    assert page.status_code == 200 and 'name="frame_0"' in page.content.decode()
    response = client.post(
        "/profile/photo/",
        {"step": "finish", "frame_0": SimpleUploadedFile("f.jpg", on_canvas(testing.astronaut()), "image/jpeg")},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    applicant.refresh_from_db()
    assert applicant.id_photo_path != old_path
    assert files_under(settings.MEDIA_ROOT) == {applicant.id_photo_path}
    assert files_under(settings.FILE_UPLOAD_TEMP_DIR) == set()
    assert not Path(settings.MEDIA_ROOT, applicant.id_photo_path).read_bytes().startswith(b"\xff\xd8")
    for value in all_stored_values():
        if isinstance(value, (bytes, memoryview)):
            assert b"\xff\xd8\xff" not in bytes(value) and b"JFIF" not in bytes(value)
        elif isinstance(value, str):
            assert "/9j/" not in value and "JFIF" not in value and len(value) < 5000
    assert cache.get(f"face:candidate:{FaceVerification.objects.get().nonce}") is None



def test_with_liveness_the_page_asks_for_head_turns_and_one_uploaded_picture_is_not_live(make_applicant, settings):
    settings.JIANLI_FACE_LIVENESS = True
    applicant = make_applicant(testing.grace_hopper())
    Profile.objects.create(nickname="张", applicant=applicant)
    client = Client()
    session = client.session
    session["applicant_id"] = applicant.pk
    session["profile_id"] = applicant.profile.pk
    session.save()
    page = client.post(
        "/profile/photo/", {"id_photo": SimpleUploadedFile("new.jpg", testing.astronaut(), "image/jpeg")}
    ).content.decode()
    assert "正视" in page and ("向左转头" in page or "向右转头" in page)
    assert "上传照片无法通过活体检测" in page and 'name="frame_0"' in page and 'href="/profile/"' in page
    response = client.post(
        "/profile/photo/",
        {"step": "finish", "frame_0": SimpleUploadedFile("f.jpg", on_canvas(testing.astronaut()), "image/jpeg")},
    )
    assert response.status_code == 422 and "未通过活体检测" in response.content.decode()
    assert FaceVerification.objects.get().reason == Reason.NOT_LIVE
    assert Applicant.objects.get(pk=applicant.pk).id_photo() == testing.grace_hopper()
