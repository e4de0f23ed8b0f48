"""Attachments and photos in an S3-compatible object store (django-storages against moto's S3 server): stored
encrypted, read back whole, and never overwritten by a later upload."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from django.core.files.storage import default_storage

from jianli import testing
from jianli.accounts.models import Applicant
from jianli.registrations.models import Attachment
from jianli.testing import cast

BUCKET = "jianli-test"


def free_port(first: int = 8580, last: int = 8599) -> int:
    for port in range(first, last + 1):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port for the S3 server")


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("moto_server did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(10)


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch):  # type: ignore[no-untyped-def]
    env = {"JIANLI_S3_BUCKET": BUCKET, "JIANLI_S3_ENDPOINT_URL": s3_endpoint, "JIANLI_S3_REGION": "us-east-1",
           "JIANLI_S3_ACCESS_KEY_ID": "testing", "JIANLI_S3_SECRET_ACCESS_KEY": "testing-secret"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    from jianli.settings import s3_storage

    settings.STORAGES = {**settings.STORAGES, "default": s3_storage()}
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1",
                          aws_access_key_id="testing", aws_secret_access_key="testing-secret")
    if BUCKET not in [b["Name"] for b in client.list_buckets()["Buckets"]]:
        client.create_bucket(Bucket=BUCKET)
    return client


def raw(client, key: str) -> bytes:  # type: ignore[no-untyped-def]
    return client.get_object(Bucket=BUCKET, Key=key)["Body"].read()


@pytest.mark.django_db
def test_attachments_and_photos_are_stored_encrypted_in_the_bucket(bucket) -> None:  # type: ignore[no-untyped-def]
    app = cast.submitted(cast.applicant(12, "王甲"), cast.employer(1, "甲监理公司"))
    pdf = b"%PDF-1.4 labour contract " + os.urandom(2000)
    att = Attachment(application=app, slot="contract", original_name="合同.pdf", content_type="application/pdf",
                     size=len(pdf), sha256="x")
    att.store(pdf)
    att.save()
    photo = testing.cat()
    person = Applicant.objects.get(pk=app.applicant_id)
    person.set_id_photo(photo)
    person.save()

    stored = raw(bucket, att.path)
    assert b"%PDF" not in stored and pdf[-2000:] not in stored
    assert photo[:200] not in raw(bucket, person.id_photo_path)
    assert Attachment.objects.get(pk=att.pk).read() == pdf
    assert Applicant.objects.get(pk=person.pk).id_photo() == photo


@pytest.mark.django_db
def test_a_name_already_taken_is_never_overwritten(bucket) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.base import ContentFile

    first = default_storage.save("attachments/same.bin", ContentFile(b"first"))
    second = default_storage.save("attachments/same.bin", ContentFile(b"second"))
    assert first != second
    assert raw(bucket, first) == b"first" and raw(bucket, second) == b"second"


@pytest.mark.django_db
def test_rotate_pii_moves_the_bucket_to_the_newest_key(bucket, settings) -> None:  # type: ignore[no-untyped-def]
    import io

    from django.core.files.base import ContentFile
    from django.core.management import call_command

    from jianli.tests import test_pii_rotation as rotation

    settings.PII_KEYS, settings.PII_LOOKUP_KEY = rotation.K1, rotation.LOOKUP
    people = [rotation.person(n) for n in range(2)]
    photos = {p.pk: p.id_photo() for p in people}
    left = default_storage.save("photos/0123456789abcdef0123456789abcdef.k1.bin", ContentFile(b"k1:left behind"))
    settings.PII_KEYS = f"{rotation.K2},{rotation.K1}"
    out = io.StringIO()
    call_command("rotate_pii", "--no-progress", stdout=out)
    # The bucket outlives each test's rows: what earlier tests left is unnamed too, and goes as well.
    assert "文件 8" in out.getvalue() and "无记录引用的旧密钥文件" in out.getvalue(), out.getvalue()
    settings.PII_KEYS = rotation.K2
    call_command("rotate_pii", "--verify", "--no-progress", stdout=out)
    assert not default_storage.exists(left)
    for p in Applicant.objects.all():
        assert p.id_photo() == photos[p.pk] and raw(bucket, p.id_photo_path)[:3] == b"k2:"
