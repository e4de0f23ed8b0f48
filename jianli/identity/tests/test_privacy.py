"""Faces stay in memory: nothing is written to disk, the database or the logs beyond the encrypted 证件照."""

from __future__ import annotations

import base64
import logging
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jianli import testing
from jianli.identity.models import Consent, FaceVerification
from jianli.testing import on_canvas


@pytest.fixture
def local_visitor(make_applicant, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.JIANLI_FACE_PROVIDER = "local"
    settings.JIANLI_FACE_LIVENESS = False
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    (tmp_path / "uploads").mkdir()
    applicant = make_applicant()
    client = Client()
    session = client.session
    session["pending_applicant_id"] = applicant.pk
    session.save()
    return client, applicant


def files_under(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in Path(root).rglob("*") if p.is_file()}


def all_stored_values() -> list[object]:
    values: list[object] = []
    for model in apps.get_models():
        for row in model._default_manager.all().values_list():
            values.extend(row)
    return values


def test_a_local_verification_leaves_only_its_outcome(local_visitor, settings, caplog):
    client, applicant = local_visitor
    frame = on_canvas(testing.astronaut())
    caplog.set_level(logging.DEBUG)
    client.post("/face/", {"step": "consent", "consent": "on"})
    page = client.post("/face/", {"step": "finish", "frame_0": SimpleUploadedFile("f.jpg", frame, "image/jpeg")})
    assert "已通过" in page.content.decode()

    assert files_under(settings.MEDIA_ROOT) == {applicant.id_photo_path}
    assert files_under(settings.FILE_UPLOAD_TEMP_DIR) == set()
    stored = Path(settings.MEDIA_ROOT, applicant.id_photo_path).read_bytes()
    assert not stored.startswith(b"\xff\xd8")  # encrypted, not a JPEG

    jpeg_markers = (b"\xff\xd8\xff", b"JFIF")
    for value in all_stored_values():
        if isinstance(value, (bytes, memoryview)):
            assert not any(m in bytes(value) for m in jpeg_markers)
        elif isinstance(value, str):
            assert "/9j/" not in value and "JFIF" not in value and len(value) < 5000
    attempt = FaceVerification.objects.get()
    kept = {f.name for f in FaceVerification._meta.get_fields()}
    assert kept == {"id", "applicant", "provider", "purpose", "nonce", "token", "challenge", "status", "reason", "score",
                    "request_id", "created_at", "expires_at", "finished_at", "public_id", "credential",
                    "claimed_at", "profile"}
    assert attempt.status == "passed" and attempt.request_id
    assert Consent.objects.get().text_version

    logged = caplog.text
    assert base64.b64encode(frame[:60]).decode()[:40] not in logged and "JFIF" not in logged


def test_a_frame_too_large_for_memory_is_dropped_not_spooled_to_disk(local_visitor, settings, monkeypatch):
    client, _ = local_visitor

    def no_temp_files(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("an upload was spooled to a temporary file")

    monkeypatch.setattr("django.core.files.uploadhandler.TemporaryUploadedFile", no_temp_files)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client.post("/face/", {"step": "consent", "consent": "on"})
    page = client.post(
        "/face/", {"step": "finish", "frame_0": SimpleUploadedFile("f.jpg", on_canvas(testing.astronaut()), "image/jpeg")}
    ).content.decode()
    assert "未检测到人脸" in page
    assert files_under(settings.FILE_UPLOAD_TEMP_DIR) == set()
