"""`jianli rotate-pii`: every encrypted column and file moves to the newest key; lookups never move."""

from __future__ import annotations

import base64
import io

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from jianli import pii, testing
from jianli.accounts import services as accounts
from jianli.accounts.models import Applicant, PlatformIdentity, Profile
from jianli.documents.models import Document, Kind
from jianli.employers.models import Employer
from jianli.notifications.models import Message
from jianli.registrations.models import Application, Attachment, BusinessType
from jianli.testing import cast

pytestmark = pytest.mark.django_db

K1 = "k1:" + base64.urlsafe_b64encode(b"\x01" * 32).decode()
K2 = "k2:" + base64.urlsafe_b64encode(b"\x02" * 32).decode()
LOOKUP = base64.urlsafe_b64encode(b"\x07" * 32).decode()

# Every encrypted column and every encrypted file kind; a new one must be added here (and so to this test's data).
FIELDS = {
    ("accounts", "applicant", "id_number"),
    ("accounts", "applicant", "mobile"),
    ("accounts", "applicant", "id_photo_embedding"),
    ("accounts", "platformidentity", "openid"),
    ("accounts", "platformidentity", "unionid"),
    ("employers", "employer", "contact_mobile"),
    ("notifications", "message", "mobile"),
}
FILES = {
    ("accounts", "applicant", "id_photo_path"), ("accounts", "profile", "avatar"), ("registrations", "attachment", "path"),
    ("certificates", "electroniccertificate", "pdf_path"),  # rotated in jianli/certificates/tests/test_rotation.py
    ("documents", "document", "pdf_path"),
}


@pytest.fixture
def old_key(settings):  # type: ignore[no-untyped-def]
    settings.PII_KEYS = K1
    settings.PII_LOOKUP_KEY = LOOKUP
    return settings


def rotate(*args: str) -> str:
    out = io.StringIO()
    call_command("rotate_pii", "--no-progress", *args, stdout=out)
    return out.getvalue()


def raw(model, column: str) -> list[str]:  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {model._meta.db_table} ORDER BY id")  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def person(n: int) -> Applicant:
    applicant = cast.applicant(name=f"张{n}", sequence=100 + n, mobile=f"1391234{n:04d}", photo=testing.cat())
    accounts.profile_update(profile=applicant.profile, avatar=testing.cat())
    accounts.platform_identity_bind(profile=applicant.profile, platform="wechat", openid=f"oWX-{n}", unionid=f"uWX-{n}")
    application = Application.objects.create(applicant=applicant, business_type=BusinessType.INITIAL)
    attachment = Attachment(application=application, slot="id_card", original_name="id.pdf",
                            content_type="application/pdf", size=8, sha256="x")
    attachment.store(testing.pdf_bytes(300 + n))
    attachment.save()
    Document.objects.create(application=application, kind=Kind.RECEIPT, title="受理回执", number=f"SL{n}",
                            pdf_path=pii.save_file(testing.pdf_bytes(400 + n), "document.pdf"))
    Message.objects.create(recipient_label=applicant.name, mobile=applicant.mobile, text="您的办件已受理")
    return applicant


def legacy_plain_avatar() -> Profile:
    """An avatar as stored before avatars were encrypted: a plain JPEG named .jpg."""
    path = default_storage.save("avatars/0123456789abcdef01234567.jpg", ContentFile(testing.cat()))
    return Profile.objects.create(nickname="旧", avatar=path)


def every_kind(n: int = 3) -> dict[str, object]:
    people = [person(i) for i in range(n)]
    employer = cast.employer()
    employer.contact_mobile = "13800001234"
    employer.save()
    return {"people": people, "employer": employer, "legacy": legacy_plain_avatar()}


def test_the_test_covers_every_encrypted_field_and_file_kind() -> None:
    fields = {
        (m._meta.app_label, m._meta.model_name, f.name)
        for m in apps.get_models() for f in m._meta.get_fields() if isinstance(f, pii.EncryptedTextField)
    }
    assert fields == FIELDS
    files = {
        (m._meta.app_label, m._meta.model_name, name)
        for m in apps.get_models() for name in getattr(m, "encrypted_files", {})
    }
    assert files == FILES


def test_rotation_moves_everything_to_the_newest_key_and_the_old_key_can_go(old_key) -> None:  # type: ignore[no-untyped-def]
    data = every_kind()
    people: list[Applicant] = data["people"]  # type: ignore[assignment]
    before = {p.pk: (p.id_number, p.mobile, p.id_hash, p.mobile_hash, p.id_photo(), p.profile.avatar_image())
              for p in people}
    attachments = {a.pk: a.read() for a in Attachment.objects.all()}
    documents = {d.pk: d.read_pdf() for d in Document.objects.all()}
    legacy_jpeg = testing.cat()
    old_files = [p.id_photo_path for p in people] + [p.profile.avatar for p in people] + \
        list(Attachment.objects.values_list("path", flat=True)) + [data["legacy"].avatar] + \
        list(Document.objects.values_list("pdf_path", flat=True))  # type: ignore[attr-defined]

    old_key.PII_KEYS = f"{K2},{K1}"
    report = rotate()
    assert "字段 16" in report and "文件 13" in report, report

    old_key.PII_KEYS = K2  # the old key retired: everything must open with the new key alone
    for table, column in [("accounts_applicant", "id_number"), ("accounts_applicant", "mobile"),
                          ("accounts_platformidentity", "openid"), ("accounts_platformidentity", "unionid"),
                          ("employers_employer", "contact_mobile"), ("notifications_message", "mobile")]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {column} FROM {table} WHERE {column} <> ''")  # noqa: S608
            values = [row[0] for row in cursor.fetchall()]
        assert values and all(v.startswith("k2:") for v in values), (table, column)
    for p in people:
        fresh = Applicant.objects.get(pk=p.pk)
        id_number, mobile, id_hash, mobile_hash, photo, avatar = before[p.pk]
        assert (fresh.id_number, fresh.mobile, fresh.id_hash, fresh.mobile_hash) == (id_number, mobile, id_hash, mobile_hash)
        assert fresh.id_photo() == photo and fresh.profile.avatar_image() == avatar
        assert Applicant.objects.by_id_number(id_number).get() == fresh  # lookups still find the person
    for a in Attachment.objects.all():
        assert a.read() == attachments[a.pk]
    assert {d.pk: d.read_pdf() for d in Document.objects.all()} == documents
    assert Employer.objects.get().contact_mobile == "13800001234"
    assert {(i.openid, i.unionid) for i in PlatformIdentity.objects.all()} == {(f"oWX-{n}", f"uWX-{n}") for n in range(3)}
    assert sorted(Message.objects.values_list("mobile", flat=True)) == sorted(p.mobile for p in people)
    legacy = Profile.objects.get(pk=data["legacy"].pk)  # type: ignore[attr-defined]
    assert legacy.avatar_image() == legacy_jpeg and not legacy.avatar.endswith(".jpg")
    with default_storage.open(legacy.avatar, "rb") as f:
        assert f.read()[:3] == b"k2:"
    assert not any(default_storage.exists(path) for path in old_files)
    assert "0 项未使用最新密钥" in rotate("--verify")
    left = default_storage.save("attachments/0123456789abcdef0123456789abcdef.k1.bin", ContentFile(b"k1:old"))
    with pytest.raises(CommandError, match="1 项未使用最新密钥"):
        rotate("--verify")  # an old file no row names still holds data under the old key
    default_storage.delete(left)
    assert "字段 0" in rotate() and "文件 0" in rotate()


def file_paths() -> set[str]:
    return {*raw(Applicant, "id_photo_path"), *raw(Profile, "avatar"), *raw(Attachment, "path"),
            *raw(Document, "pdf_path")} - {""}


def test_an_interrupted_rotation_resumes_where_it_stopped(old_key) -> None:  # type: ignore[no-untyped-def]
    every_kind(4)
    old_key.PII_KEYS = f"{K2},{K1}"
    with pytest.raises(CommandError, match="未使用最新密钥"):
        rotate("--verify")
    first = rotate("--limit", "2", "--batch-size", "1")  # stopped among the rows
    assert "尚有 28 项" in first, first
    applicants = raw(Applicant, "id_number")
    assert [v[:3] for v in applicants] == ["k2:", "k2:", "k1:", "k1:"]
    second = rotate("--limit", "16")  # stopped among the files
    assert "字段 17" in second and "尚有 12 项" in second, second
    done = {p for p in file_paths() if p.endswith(".k2.bin")}
    assert len(done) == 5
    # A stop between switching a row to its new file and removing the old one leaves an old file nobody names.
    with default_storage.open(Applicant.objects.first().id_photo_path, "rb") as f:
        left = default_storage.save("photos/0123456789abcdef0123456789abcdef.k1.bin", ContentFile(f.read()))
    third = rotate()
    assert "尚有" not in third and "字段 0" in third and "文件 12" in third, third
    assert "旧密钥文件 1 个" in third and not default_storage.exists(left)
    assert done <= file_paths()  # what an earlier run did is not done again
    old_key.PII_KEYS = K2
    assert "0 项未使用最新密钥" in rotate("--verify")
    for p in Applicant.objects.all():
        assert p.id_photo() and p.mobile.startswith("139") and p.profile.avatar_image()


def test_lookups_do_not_depend_on_the_encryption_keys(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PII_LOOKUP_KEY = LOOKUP
    settings.PII_KEYS = K1
    before = pii.lookup_hash("110101198503070012")
    settings.PII_KEYS = K2
    assert pii.lookup_hash("110101198503070012") == before
    settings.PII_LOOKUP_KEY = base64.urlsafe_b64encode(b"\x08" * 32).decode()
    assert pii.lookup_hash("110101198503070012") != before


def test_a_lookup_key_that_is_also_an_encryption_key_is_refused(settings) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ImproperlyConfigured

    settings.PII_KEYS = K1
    settings.PII_LOOKUP_KEY = K1.partition(":")[2]
    with pytest.raises(ImproperlyConfigured, match="JIANLI_PII_LOOKUP_KEY"):
        pii.lookup_hash("x")
